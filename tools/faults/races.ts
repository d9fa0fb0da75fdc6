import { rowsOf } from '@twtix/common'
import { sql } from 'drizzle-orm'
import type { ServiceDbs } from '../invariants/snapshot.ts'
import type { Call } from './client.ts'
import { type Ledger, persist, signUp, type User } from './load.ts'

export type RaceResult = {
  buyers: number
  tickets: number
  /** Tickets that went to one buyer at a time. */
  won: number
  /** Tickets two buyers were told they held at the same time: sold twice at the door. */
  doubled: number
  /** 201s placed after an earlier winner's order was released (a slow answer, a fair one). */
  later: number
  /** The slowest answer. */
  slowestMs: number
  refused: number
  failed: number
}

/** Signs up `n` people, `batch` at a time (each sign-up hashes a password). */
export async function signUpMany(call: Call, n: number, batch = 20): Promise<User[]> {
  const people: User[] = []
  for (let round = 0; people.length < n; round++) {
    if (round > (n / batch) * 5) throw new Error(`only ${people.length} of ${n} could sign up`)
    const joined = await Promise.all(
      Array.from({ length: Math.min(batch, n - people.length) }, () => signUp(call, 'racer')),
    )
    people.push(...joined.filter((u): u is User => u !== undefined))
  }
  return people
}

/**
 * `buyers.length` people race for `tickets` tickets at the same moment, each for ticket i mod
 * `tickets`: each ticket must go to exactly one of them, every other one a fast 400.
 */
export async function race(
  call: Call,
  dbs: ServiceDbs,
  ledger: Ledger,
  seller: User,
  buyers: User[],
  tickets: number,
): Promise<RaceResult> {
  const ids: string[] = []
  for (let i = 0; i < tickets; i++) {
    const res = await persist(
      call,
      'POST',
      '/api/tickets',
      { body: { title: `Race ${i + 1} of ${tickets}`, price: 4000 }, token: seller.token },
      { tries: 5, waitMs: 500 },
    )
    if (res.status !== 201) throw new Error(`could not list a race ticket: ${res.status}`)
    ids.push(res.body.id)
  }
  // Orders knows a ticket once the seller's own order is refused as such (400, not 404).
  for (const ticketId of ids) {
    await persist(
      call,
      'POST',
      '/api/orders',
      { body: { ticketId }, token: seller.token, expected: [400, 404] },
      { tries: 100, waitMs: 200, again: (a) => a.status === 404 },
    )
  }
  const fired = Date.now()
  let slowestMs = 0
  const answers = await Promise.all(
    buyers.map((b, i) => {
      const ticketId = ids[i % tickets] as string
      return call('POST', '/api/orders', {
        body: { ticketId },
        token: b.token,
        idempotencyKey: crypto.randomUUID(),
        expected: [400],
      }).then((a) => {
        slowestMs = Math.max(slowestMs, Date.now() - fired)
        return { a, ticketId }
      })
    }),
  )
  const winners = answers.filter(({ a }) => a.status === 201)
  for (const { a, ticketId } of winners) ledger.orders.set(a.body.id, { ticketId })
  // Several 201s for one ticket are fine only one after the other: each order placed after the
  // one before it was released. The orders' outbox says in which order that happened: the
  // order.cancelled row is written before the release commits, and the next order's
  // order.created row only once its insert got past the unique index, so after that commit; the
  // outbox ids come from one sequence. (Times would not do: an insert that waited on the
  // index for the release began before it, and an order's created_at is the service's clock when
  // it read the ticket, seconds earlier under this load.)
  const held = rowsOf<{
    id: string
    ticket_id: string
    created_row: number | string | null
    cancelled_row: number | string | null
  }>(
    await dbs.orders.execute(
      sql`select o.id, o.ticket_id,
          (select min(x.id) from orders.outbox x
            where x.type = 'order.created' and x.payload::json -> 'data' ->> 'id' = o.id::text
          )::float8 as created_row,
          (select min(x.id) from orders.outbox x
            where x.type = 'order.cancelled' and x.payload::json -> 'data' ->> 'id' = o.id::text
          )::float8 as cancelled_row
        from orders.orders o
        where o.id in (${sql.join(
          winners.map(({ a }) => sql`${a.body.id as string}`),
          sql`, `,
        )}) order by created_row`,
    ),
  )
  let doubled = 0
  let later = 0
  for (const ticketId of ids) {
    const mine = held.filter((o) => o.ticket_id === ticketId)
    for (let i = 1; i < mine.length; i++) {
      const [before, after] = [mine[i - 1], mine[i]] as [(typeof mine)[0], (typeof mine)[0]]
      const released = before.cancelled_row === null ? Infinity : Number(before.cancelled_row)
      if (after.created_row === null || Number(after.created_row) < released) doubled++
      else later++
    }
  }
  return {
    buyers: buyers.length,
    tickets,
    won: new Set(winners.map((w) => w.ticketId)).size,
    doubled,
    later,
    slowestMs,
    refused: answers.filter(({ a }) => a.status === 400).length,
    failed: answers.filter(({ a }) => a.status !== 400 && a.status !== 201).length,
  }
}
