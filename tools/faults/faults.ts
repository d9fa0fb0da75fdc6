import { type Db, rowsOf } from '@twtix/common'
import { sql } from 'drizzle-orm'
import type { ServiceDbs } from '../invariants/snapshot.ts'
import { delay, waitFor } from '../lib/processes.ts'
import type { Stack } from '../lib/stack.ts'
import type { Call } from './client.ts'
import {
  copies,
  dueRowsOf,
  finishedTickets,
  historyOf,
  outOfOrder,
  type Publisher,
  poisonMessage,
  stateOf,
} from './events.ts'
import type { Kafka } from './kafka.ts'
import { type Load, persist, type User } from './load.ts'
import type { Postgres } from './postgres.ts'
import { race } from './races.ts'
import type { Stats } from './stats.ts'

export type Context = {
  stack: Stack
  kafka: Kafka
  postgres: Postgres
  dbs: ServiceDbs
  bus: Publisher
  call: Call
  stats: Stats
  load: Load
  /** Load time between two faults, so each one meets a busy system. */
  gapMs: number
  /** The people who race, signed up in the background from the start. */
  racers: Promise<User[]>
}

/** What one injected fault did and whether its own check held. */
export type FaultRecord = {
  name: string
  ok: boolean
  /** Until the system answered again (the process back and ready, events flowing). */
  recoveryMs?: number
  detail: string
  /** When it was injected and when its step ended (epoch ms). */
  startedAt?: number
  endedAt?: number
}

export type Fault = { name: string; inject: (ctx: Context) => Promise<Omit<FaultRecord, 'name'>> }

/** A user of the load, for the faults' own requests. */
const someone = (ctx: Context) => ctx.load.users[0] as User

/**
 * Events flow end to end: a ticket listed through the API reaches orders' replica. Returns how
 * long it took, or throws at the deadline.
 */
async function eventRoundTrip(ctx: Context, timeoutMs: number): Promise<number> {
  const started = Date.now()
  const listed = await persist(
    ctx.call,
    'POST',
    '/api/tickets',
    { body: { title: 'Round trip', price: 1000 }, token: someone(ctx).token },
    { tries: Math.ceil(timeoutMs / 500), waitMs: 500 },
  )
  if (listed.status !== 201) throw new Error(`could not list a ticket: ${listed.status}`)
  const seen = await waitFor(
    async () => (await versionInOrders(ctx.dbs.orders, listed.body.id)) !== undefined,
    Math.max(1000, timeoutMs - (Date.now() - started)),
    200,
  )
  if (!seen) throw new Error('a new ticket never reached orders')
  return Date.now() - started
}

async function versionInOrders(db: Db, ticketId: string): Promise<number | undefined> {
  const [row] = rowsOf<{ version: number }>(
    await db.execute(sql`select version from orders.tickets where id = ${ticketId}`),
  )
  return row?.version
}

/** Runs `work` under the fault's name: requests failing meanwhile are filed under it. */
async function during<T>(ctx: Context, name: string, work: () => Promise<T>): Promise<T> {
  ctx.stats.setFault(name)
  try {
    const result = await work()
    // Failures answered just after recovery (a retried connection, a stale upstream) belong here.
    await delay(2000)
    return result
  } finally {
    ctx.stats.setFault('none')
    await delay(ctx.gapMs)
  }
}

export function sigkill(labels: string[]): Fault {
  const name = `SIGKILL ${labels.join(' + ')}`
  return {
    name,
    inject: (ctx) =>
      during(ctx, name, async () => {
        const pids = ctx.stack.kill(labels)
        const recoveryMs = await ctx.stack.waitBack(labels, pids, 120_000)
        return { ok: true, recoveryMs, detail: `pid ${pids.join(', ')}; restarted by the stack` }
      }),
  }
}

export function restartKafka(kill: boolean): Fault {
  const name = kill ? 'Kafka crash (SIGKILL) + restart' : 'Kafka restart'
  return {
    name,
    inject: (ctx) =>
      during(ctx, name, async () => {
        const started = Date.now()
        await ctx.kafka.restart({ kill })
        const down = Date.now() - started
        const flow = await eventRoundTrip(ctx, 120_000)
        return {
          ok: true,
          recoveryMs: Date.now() - started,
          detail: `broker back in ${down} ms; an event crossed it ${flow} ms later`,
        }
      }),
  }
}

export function restartPostgres(mode: 'fast' | 'immediate'): Fault {
  const name = mode === 'fast' ? 'PostgreSQL restart' : 'PostgreSQL crash (immediate) + restart'
  return {
    name,
    inject: (ctx) =>
      during(ctx, name, async () => {
        const started = Date.now()
        await ctx.postgres.restart(mode)
        const down = Date.now() - started
        const flow = await eventRoundTrip(ctx, 120_000)
        return {
          ok: true,
          recoveryMs: Date.now() - started,
          detail: `server back in ${down} ms; a listing reached orders ${flow} ms later`,
        }
      }),
  }
}

/**
 * Delivers real events again (`duplicates`) or one entity's events newest first, under new ids
 * and their own (`out-of-order`), for finished tickets, and checks nothing changed anywhere.
 */
export function redeliver(kind: 'duplicates' | 'out-of-order'): Fault {
  const name =
    kind === 'duplicates' ? 'same events delivered twice' : 'events delivered out of order'
  return {
    name,
    inject: (ctx) =>
      during(ctx, name, async () => {
        const tickets = await finishedTickets(ctx.dbs, 5)
        if (tickets.length === 0) return { ok: false, detail: 'no sold ticket to replay' }
        const history = await historyOf(ctx.dbs, tickets)
        const before = await stateOf(ctx.dbs, tickets)
        const messages =
          kind === 'duplicates' ? copies(history, { freshIds: false }) : outOfOrder(history)
        const placed = await ctx.bus.publish(messages)
        const consumed = await ctx.bus.waitConsumed(placed, 90_000)
        // A replayed order.created schedules an expiry that fires at once and changes nothing.
        await waitFor(async () => (await dueRowsOf(ctx.dbs, tickets)) === 0, 30_000)
        await delay(3000)
        const after = await stateOf(ctx.dbs, tickets)
        const unchanged = before === after
        return {
          ok: consumed && unchanged,
          detail: `${messages.length} events of ${tickets.length} sold tickets; ${
            consumed ? 'consumed' : 'NOT all consumed'
          }; state ${unchanged ? 'unchanged' : 'CHANGED'}`,
        }
      }),
  }
}

/**
 * A message no schema accepts, on the partition of a live ticket: it must land in tickets.dlq,
 * and the ticket's next event behind it must still be applied.
 */
export const poison: Fault = {
  name: 'poison message',
  inject: (ctx) =>
    during(ctx, 'poison message', async () => {
      const seller = someone(ctx)
      const listed = await persist(
        ctx.call,
        'POST',
        '/api/tickets',
        { body: { title: 'Behind the poison', price: 2000 }, token: seller.token },
        { tries: 5, waitMs: 500 },
      )
      const ticketId = listed.body.id as string
      await waitFor(async () => (await versionInOrders(ctx.dbs.orders, ticketId)) === 0, 30_000)
      const before = await ctx.bus.deadLetters('tickets.dlq')
      const started = Date.now()
      await ctx.bus.publish([poisonMessage(ticketId)])
      const lettered = await waitFor(
        async () => (await ctx.bus.deadLetters('tickets.dlq')) === before + 1,
        60_000,
      )
      await persist(
        ctx.call,
        'PUT',
        `/api/tickets/${ticketId}`,
        { body: { price: 2100 }, token: seller.token },
        { tries: 5, waitMs: 500 },
      )
      const goesOn = await waitFor(
        async () => (await versionInOrders(ctx.dbs.orders, ticketId)) === 1,
        60_000,
      )
      return {
        ok: lettered && goesOn,
        recoveryMs: Date.now() - started,
        detail: `${lettered ? 'in tickets.dlq' : 'NOT in tickets.dlq'}; the next event on its partition ${
          goesOn ? 'was applied' : 'was NOT applied'
        }`,
      }
    }),
}

export function buyersRace(buyers: number, tickets: number): Fault {
  const name = `${buyers} buyers race for ${tickets} ticket${tickets > 1 ? 's' : ''}`
  return {
    name,
    inject: (ctx) =>
      during(ctx, name, async () => {
        const racers = (await ctx.racers).slice(0, buyers)
        const r = await race(ctx.call, ctx.dbs, ctx.load.ledger, someone(ctx), racers, tickets)
        return {
          ok: r.won === tickets && r.doubled === 0 && r.failed === 0,
          detail: `${r.won} of ${tickets} ticket(s) ordered; ${r.doubled} held by two buyers at once; ${r.refused} refused (400), ${r.failed} failed; slowest answer ${r.slowestMs} ms${
            r.later ? ` (${r.later} won after an earlier winner's hold had expired)` : ''
          }`,
        }
      }),
  }
}

/** The faults, in order. `--short` kills one replica of each service; the full run both. */
export function plan(options: { short: boolean; services: string[] }): Fault[] {
  const { services } = options
  const kills = options.short
    ? services.map((s) => sigkill([`${s}-0`]))
    : [...services.flatMap((s) => [sigkill([`${s}-0`]), sigkill([`${s}-1`])]), sigkill(['nginx-0'])]
  const both = (options.short ? ['orders'] : ['orders', 'payments', 'tickets', 'expiration']).map(
    (s) => sigkill([`${s}-0`, `${s}-1`]),
  )
  return [
    ...kills,
    ...both,
    // A crash is the quicker restart (no controlled shutdown): the short run's only one.
    ...(options.short ? [restartKafka(true)] : [restartKafka(false), restartKafka(true)]),
    restartPostgres('fast'),
    ...(options.short ? [] : [restartPostgres('immediate')]),
    redeliver('duplicates'),
    redeliver('out-of-order'),
    poison,
    buyersRace(200, 1),
    buyersRace(200, 20),
  ]
}
