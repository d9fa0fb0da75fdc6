import process from 'node:process'
import { type Db, manualClock, memoryLogger, rowsOf } from '@twtix/common'
import { eventually } from '@twtix/common/testing'
import { sql, TransactionRollbackError } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmbedded, type Embedded } from '../../embedded/create-embedded.ts'
import { apiClient } from '../../tests/e2e/client.ts'
import { checkInvariants } from './check-invariants.ts'
import {
  deadLetterViolations,
  ownDeadLetterTopics,
  parseExpectedDeadLetters,
} from './dead-letters.ts'
import { formatCheck } from './report.ts'
import type { Rule, Violation } from './rules.ts'
import type { ServiceDbs } from './snapshot.ts'

// The checker against a real marketplace: the embedded app (every schema in one database: PGlite
// in memory, or a private database on DATABASE_URL's server) builds a consistent state through
// its API; then each test corrupts it in a transaction that is rolled back afterwards.

const HOLD_SECONDS = 60
const clock = manualClock(new Date())
let embedded: Embedded
let db: Db
let dropDatabase: (() => Promise<void>) | undefined

async function privateDatabaseUrl() {
  const url = process.env.DATABASE_URL
  if (!url) return undefined
  const { default: postgres } = await import('postgres')
  const name = `twtix_invariants_${crypto.randomUUID().slice(0, 8)}`
  const admin = postgres(url, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  dropDatabase = async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.end()
  }
  const target = new URL(url)
  target.pathname = `/${name}`
  return target.toString()
}

const all = (d: Db): ServiceDbs => ({ tickets: d, orders: d, payments: d, expiration: d })

/** The ids of the marketplace built in beforeAll. */
const ids = {
  soldTicket: '',
  completeOrder: '',
  cancelledOrder: '',
  liveOrder: '',
  liveTicket: '',
  expiredOrder: '',
  availableTicket: '',
}

beforeAll(async () => {
  embedded = await createEmbedded({
    env: { ORDER_HOLD_SECONDS: String(HOLD_SECONDS), DATABASE_URL: await privateDatabaseUrl() },
    clock,
    logger: memoryLogger('warn'),
    policy: { maxAttempts: 20, backoffMs: () => 20 },
  })
  db = embedded.database.db
  const api = apiClient(embedded.fetch, 'http://twtix.test')
  const signUp = async (name: string) => {
    const email = `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`
    const res = await api.post('/api/users/signup', { email, password: 'correct horse battery' })
    return res.body.token as string
  }
  const [seller, b, c, d] = await Promise.all(['seller', 'b', 'c', 'd'].map(signUp))
  const list = async (price: number) =>
    (await api.post('/api/tickets', { title: 'Budokan', price }, seller)).body.id as string
  const order = (ticketId: string, token?: string) =>
    eventually(
      async () => {
        const res = await api.post('/api/orders', { ticketId }, token)
        return res.status === 201 ? (res.body.id as string) : undefined
      },
      { timeoutMs: 10_000, message: 'could not order' },
    )
  const pay = (orderId: string, token: string | undefined, card: string) =>
    eventually(
      async () => {
        const res = await api.post('/api/payments', { orderId, token: card }, token)
        return res.status === 404 ? undefined : res.status
      },
      { timeoutMs: 10_000, message: 'payments never saw the order' },
    )

  // An expired hold: ordered, then the clock passes its expiry.
  const expiring = await list(3000)
  ids.expiredOrder = await order(expiring, b)
  await eventually(
    async () => (await api.get(`/api/tickets/${expiring}`)).body.status === 'reserved',
  )
  clock.advance((HOLD_SECONDS + 1) * 1000)
  await eventually(
    async () => (await api.get(`/api/orders/${ids.expiredOrder}`, b)).body.status === 'cancelled',
    { timeoutMs: 10_000, message: 'the hold never expired' },
  )
  // Sold after a declined card; a cancelled order, then a live one on the same ticket; an edit.
  ids.soldTicket = await list(5000)
  ids.completeOrder = await order(ids.soldTicket, b)
  expect(await pay(ids.completeOrder, b, 'tok_chargeDeclined')).toBe(402)
  expect(await pay(ids.completeOrder, b, 'tok_visa')).toBe(201)
  ids.liveTicket = await list(7000)
  ids.cancelledOrder = await order(ids.liveTicket, c)
  expect((await api.delete(`/api/orders/${ids.cancelledOrder}`, c)).status).toBe(204)
  // tickets tells a newer order from a stale one by its creation time: let time pass.
  clock.advance(1000)
  ids.liveOrder = await order(ids.liveTicket, d)
  ids.availableTicket = await list(9000)
  await eventually(
    async () =>
      (await api.put(`/api/tickets/${ids.availableTicket}`, { price: 9500 }, seller)).status ===
      200,
  )
  await eventually(
    async () => (await api.get(`/api/tickets/${ids.soldTicket}`)).body.status === 'sold',
    { timeoutMs: 10_000, message: 'the ticket was never sold' },
  )
})

afterAll(async () => {
  await embedded?.stop()
  await dropDatabase?.()
})

const check = (d: Db, graceMs = 0) =>
  checkInvariants({ dbs: all(d), now: new Date(clock().getTime() + 1), graceMs }).then(
    (r) => r.violations,
  )

/** The violations found after `corrupt`, applied in a transaction that is then rolled back. */
async function violationsAfter(corrupt: (tx: Db) => Promise<unknown>): Promise<Violation[]> {
  let found: Violation[] = []
  try {
    await db.transaction(async (tx) => {
      await corrupt(tx)
      found = await check(tx)
      tx.rollback()
    })
  } catch (err) {
    if (!(err instanceof TransactionRollbackError)) throw err
  }
  return found
}

const uuid = () => crypto.randomUUID()
/** The clock's time moved by `ms`, as text: postgres.js takes no Date in raw SQL. */
const at = (ms: number) => new Date(clock().getTime() + ms).toISOString()
const expectFound = (found: Violation[], rule: Rule, id: string) =>
  expect(
    found.filter((v) => v.rule === rule && JSON.stringify(v.ids).includes(id)),
    `${rule} for ${id} among ${JSON.stringify(found)}`,
  ).toHaveLength(1)

describe('checkInvariants', () => {
  it('finds nothing wrong once the marketplace is at rest', async () => {
    const violations = await eventually(
      async () => {
        const found = await check(db)
        return found.length === 0 ? found : undefined
      },
      { timeoutMs: 10_000, message: 'the marketplace never came to rest' },
    ).catch(async () => check(db))
    expect(violations).toEqual([])
  })

  it('finds a second active order for a ticket', async () => {
    const found = await violationsAfter(async (tx) => {
      // The database itself forbids it: drop its guard inside the rolled-back transaction.
      await tx.execute(sql`drop index orders.orders_one_active_per_ticket`)
      await tx.execute(sql`insert into orders.orders (id, user_id, ticket_id, status, expires_at,
        version, created_at) values (${uuid()}, ${uuid()}, ${ids.soldTicket}, 'created',
        now() + interval '1 hour', 0, now())`)
    })
    expectFound(found, 'ticket-double-booked', ids.soldTicket)
  })

  it('finds a reserved ticket whose order was cancelled, or expired', async () => {
    const cancelled = await violationsAfter((tx) =>
      tx.execute(sql`update orders.orders set status = 'cancelled' where id = ${ids.liveOrder}`),
    )
    expectFound(cancelled, 'reserved-without-live-order', ids.liveTicket)
    const expired = await violationsAfter((tx) =>
      tx.execute(
        sql`update orders.orders set expires_at = ${at(-1000)}::timestamptz
          where id = ${ids.liveOrder}`,
      ),
    )
    expectFound(expired, 'reserved-without-live-order', ids.liveTicket)
    expectFound(expired, 'hold-past-expiry', ids.liveOrder)
    const released = await violationsAfter((tx) =>
      tx.execute(sql`update tickets.tickets set status = 'available', order_id = null
        where id = ${ids.liveTicket}`),
    )
    expectFound(released, 'live-order-not-holding', ids.liveOrder)
  })

  it('finds a sold ticket without a complete order, and a complete order not sold', async () => {
    const sold = await violationsAfter((tx) =>
      tx.execute(sql`update tickets.tickets set status = 'sold', order_id = ${ids.cancelledOrder}
        where id = ${ids.availableTicket}`),
    )
    expectFound(sold, 'sold-without-complete-order', ids.availableTicket)
    expectFound(sold, 'ticket-replica-diverged', ids.availableTicket)
    const unsold = await violationsAfter((tx) =>
      tx.execute(sql`update tickets.tickets set status = 'available', order_id = null
        where id = ${ids.soldTicket}`),
    )
    expectFound(unsold, 'complete-order-not-sold', ids.completeOrder)
  })

  it('finds a complete order without a succeeded payment, and one paid twice', async () => {
    const unpaid = await violationsAfter((tx) =>
      tx.execute(sql`update payments.payments set status = 'failed'
        where order_id = ${ids.completeOrder} and status = 'succeeded'`),
    )
    expectFound(unpaid, 'complete-without-payment', ids.completeOrder)
    // Refunded after the sale (a missed delivery): fine once orders has recorded the refund.
    const refund = sql`update payments.payments set status = 'refunded'
      where order_id = ${ids.completeOrder} and status = 'succeeded'`
    expectFound(
      await violationsAfter((tx) => tx.execute(refund)),
      'complete-without-payment',
      ids.completeOrder,
    )
    const recorded = await violationsAfter(async (tx) => {
      await tx.execute(refund)
      await tx.execute(
        sql`update orders.orders set refunded_at = now() where id = ${ids.completeOrder}`,
      )
      // Payments cancels the seller's payout in the transaction that records the refund.
      await tx.execute(
        sql`update payments.payouts set status = 'cancelled' where order_id = ${ids.completeOrder}`,
      )
    })
    expect(recorded).toEqual([])
    const twice = await violationsAfter((tx) => insertPayment(tx, ids.completeOrder, 'succeeded'))
    expectFound(twice, 'paid-twice', ids.completeOrder)
  })

  it('finds a succeeded payment for a cancelled order, but not a refunded one', async () => {
    const charged = await violationsAfter((tx) =>
      insertPayment(tx, ids.cancelledOrder, 'succeeded'),
    )
    expectFound(charged, 'charged-for-cancelled-order', ids.cancelledOrder)
    const refunded = await violationsAfter((tx) =>
      insertPayment(tx, ids.cancelledOrder, 'refunded'),
    )
    expect(refunded).toEqual([])
  })

  it('finds an expiration row left past its time', async () => {
    const order = uuid()
    const found = await violationsAfter((tx) =>
      tx.execute(sql`insert into expiration.due (order_id, due_at)
        values (${order}, ${at(-60_000)}::timestamptz)`),
    )
    expectFound(found, 'due-past-time', order)
  })

  it("finds orders' ticket replica stale, missing a ticket, or holding an unknown one", async () => {
    const stale = await violationsAfter((tx) =>
      tx.execute(
        sql`update orders.tickets set version = version - 1 where id = ${ids.availableTicket}`,
      ),
    )
    expectFound(stale, 'ticket-replica-diverged', ids.availableTicket)
    const [missing, orphan] = [uuid(), uuid()]
    const found = await violationsAfter(async (tx) => {
      await tx.execute(sql`insert into tickets.tickets (id, title, price, user_id, status, version,
        created_at, updated_at) values (${missing}, 'x', 100, ${uuid()}, 'available', 0, now(), now())`)
      await tx.execute(sql`insert into orders.tickets (id, title, price, user_id, status, version)
        values (${orphan}, 'x', 100, ${uuid()}, 'available', 0)`)
    })
    expectFound(found, 'ticket-replica-missing', missing)
    expectFound(found, 'ticket-replica-orphan', orphan)
  })

  it('finds a listed ticket priced above its face value × the cap, but not a sold one', async () => {
    const found = await violationsAfter((tx) =>
      tx.execute(
        sql`update tickets.tickets set face_value = price - 1 where id in (${ids.availableTicket}, ${ids.soldTicket})`,
      ),
    )
    expectFound(found, 'price-above-cap', ids.availableTicket)
    expect(
      found.filter((v) => v.ids.ticket === ids.soldTicket && v.rule === 'price-above-cap'),
    ).toEqual([])
    const atCap = await violationsAfter((tx) =>
      tx.execute(
        sql`update tickets.tickets set face_value = price where id = ${ids.availableTicket}`,
      ),
    )
    expect(atCap.filter((v) => v.rule === 'price-above-cap')).toEqual([])
  })

  it("finds payments' order replica with another price or status, missing or orphaned", async () => {
    const price = await violationsAfter((tx) =>
      tx.execute(sql`update payments.orders set price = price + 1 where id = ${ids.liveOrder}`),
    )
    expectFound(price, 'order-replica-diverged', ids.liveOrder)
    const status = await violationsAfter((tx) =>
      tx.execute(
        sql`update payments.orders set status = 'created' where id = ${ids.completeOrder}`,
      ),
    )
    expectFound(status, 'order-replica-diverged', ids.completeOrder)
    const orphan = uuid()
    const found = await violationsAfter(async (tx) => {
      await tx.execute(sql`delete from payments.orders where id = ${ids.cancelledOrder}`)
      await tx.execute(sql`insert into payments.orders (id, user_id, price, status, expires_at,
        version) values (${orphan}, ${uuid()}, 100, 'created', now(), 0)`)
    })
    expectFound(found, 'order-replica-missing', ids.cancelledOrder)
    expectFound(found, 'order-replica-orphan', orphan)
  })

  it('finds a paid order without its one payout, or with two', async () => {
    const none = await violationsAfter((tx) =>
      tx.execute(sql`delete from payments.payouts where order_id = ${ids.completeOrder}`),
    )
    expectFound(none, 'payout-or-refund', ids.completeOrder)
    const two = await violationsAfter(async (tx) => {
      // The database itself forbids it: drop its guard inside the rolled-back transaction.
      await tx.execute(sql`drop index payments.payouts_order_id_key`)
      await tx.execute(sql`insert into payments.payouts (id, order_id, payment_id, seller_id, amount,
        status, due_at, charge_id, created_at, updated_at)
        select ${uuid()}, order_id, payment_id, seller_id, amount, 'held', due_at, charge_id,
          created_at, updated_at
        from payments.payouts where order_id = ${ids.completeOrder}`)
    })
    expectFound(two, 'payout-or-refund', ids.completeOrder)
    const refunded = await violationsAfter((tx) =>
      tx.execute(sql`update payments.payments set status = 'refunded'
        where order_id = ${ids.completeOrder} and status = 'succeeded'`),
    )
    expectFound(refunded, 'payout-or-refund', ids.completeOrder)
  })

  it('finds a payout made before its due time, or while a claim is open', async () => {
    const early = await violationsAfter((tx) =>
      tx.execute(sql`update payments.payouts set status = 'paid', transfer_id = 'tr_x',
        paid_at = due_at - interval '1 day' where order_id = ${ids.completeOrder}`),
    )
    expectFound(early, 'payout-before-due', ids.completeOrder)
    const onTime = await violationsAfter((tx) =>
      tx.execute(sql`update payments.payouts set status = 'paid', transfer_id = 'tr_x',
        paid_at = due_at where order_id = ${ids.completeOrder}`),
    )
    expect(onTime.filter((v) => v.rule.startsWith('payout'))).toEqual([])
    const claimed = await violationsAfter((tx) =>
      tx.execute(sql`update payments.payouts set status = 'paid', transfer_id = 'tr_x',
        paid_at = due_at, claim_id = ${uuid()} where order_id = ${ids.completeOrder}`),
    )
    expectFound(claimed, 'payout-with-open-claim', ids.completeOrder)
  })

  it('finds a payout transferred twice at the gateway, and a paid payout whose transfer is not there', async () => {
    const pay = (transferId: string) =>
      sql`update payments.payouts set status = 'paid', transfer_id = ${transferId},
        paid_at = due_at where order_id = ${ids.completeOrder}`
    // What the offline gateway writes for a key: the payout's id in the metadata.
    const transfer = (key: string, transferId: string, amount?: number) =>
      sql`insert into payments.offline_transfers (idempotency_key, id, payout_id, amount,
        destination, created_at)
        select ${key}, ${transferId}, id::text, coalesce(${amount ?? null}::int, amount),
          'acct_offline_x', now()
        from payments.payouts where order_id = ${ids.completeOrder}`
    const once = await violationsAfter(async (tx) => {
      await tx.execute(pay('tr_offline_1'))
      await tx.execute(transfer('payout-1', 'tr_offline_1'))
    })
    expect(once.filter((v) => v.rule.startsWith('payout'))).toEqual([])
    // A retry under another key (say, one that changed across a crash) pays the seller again.
    const twice = await violationsAfter(async (tx) => {
      await tx.execute(pay('tr_offline_1'))
      await tx.execute(transfer('payout-1', 'tr_offline_1'))
      await tx.execute(transfer('payout-1-again', 'tr_offline_2'))
    })
    expectFound(twice, 'payout-transferred-twice', ids.completeOrder)
    expect(twice.find((v) => v.rule === 'payout-transferred-twice')?.ids.transfers).toEqual([
      'tr_offline_1',
      'tr_offline_2',
    ])
    const missing = await violationsAfter((tx) => tx.execute(pay('tr_offline_lost')))
    expectFound(missing, 'payout-transfer-missing', ids.completeOrder)
    const wrongAmount = await violationsAfter(async (tx) => {
      await tx.execute(pay('tr_offline_1'))
      await tx.execute(transfer('payout-1', 'tr_offline_1', 1))
    })
    expectFound(wrongAmount, 'payout-transfer-missing', ids.completeOrder)
    const noTransfer = await violationsAfter((tx) =>
      tx.execute(sql`update payments.payouts set status = 'paid', paid_at = due_at
        where order_id = ${ids.completeOrder}`),
    )
    expectFound(noTransfer, 'payout-transfer-missing', ids.completeOrder)
  })

  it("finds an order whose charge is not its seller's share + fees + refunds", async () => {
    const found = await violationsAfter((tx) =>
      tx.execute(sql`update payments.payouts set amount = amount + 1
        where order_id = ${ids.completeOrder}`),
    )
    expectFound(found, 'money-unbalanced', ids.completeOrder)
  })

  it('finds an unsent outbox row in any schema', async () => {
    for (const schema of ['tickets', 'orders', 'payments', 'expiration']) {
      const found = await violationsAfter((tx) =>
        tx.execute(
          sql.raw(`update ${schema}.outbox set sent_at = null
            where id = (select max(id) from ${schema}.outbox)`),
        ),
      )
      expect(found.map((v) => v.rule)).toContain('outbox-unsent')
      expect(found.find((v) => v.rule === 'outbox-unsent')?.ids.service).toBe(schema)
    }
  })

  it('finds an event a consumer group never applied', async () => {
    let eventId = ''
    const found = await violationsAfter(async (tx) => {
      const [row] = rowsOf<{ event_id: string }>(
        await tx.execute(
          sql`select event_id from orders.outbox where type = 'order.created' limit 1`,
        ),
      )
      eventId = row?.event_id ?? 'none'
      await tx.execute(
        sql`delete from tickets.processed_events where consumer = 'tickets' and event_id = ${eventId}`,
      )
    })
    expectFound(found, 'event-not-processed', eventId)
    expect(found.find((v) => v.rule === 'event-not-processed')?.ids.group).toBe('tickets')
  })

  it('allows an unsent row or a late hold within the grace period', async () => {
    let found: Violation[] = []
    try {
      await db.transaction(async (tx) => {
        await tx.execute(
          sql`update orders.orders set expires_at = ${at(0)}::timestamptz where id = ${ids.liveOrder}`,
        )
        found = await check(tx, 60_000)
        tx.rollback()
      })
    } catch (err) {
      if (!(err instanceof TransactionRollbackError)) throw err
    }
    expect(found).toEqual([])
  })

  it('prints a table naming each invariant and the ids involved', async () => {
    const result = await checkInvariants({ dbs: all(db), now: clock(), graceMs: 0 })
    const text = formatCheck({
      ...result,
      violations: [
        {
          rule: 'paid-twice',
          message: '2 succeeded payments',
          ids: { order: 'o-1', payments: ['p-1', 'p-2'] },
        },
      ],
      deadLetters: { 'tickets.dlq': 1 },
    })
    expect(text).toContain('| ticket-double-booked | ok |')
    expect(text).toContain(
      '| paid-twice | **1 violation(s)** | 2 succeeded payments (order=o-1 payments=p-1,p-2) |',
    )
    expect(text).toContain('dead letters: tickets.dlq 1')
  })
})

describe('dead letters', () => {
  it('expects none by default, or a total, or a count per topic', () => {
    expect(deadLetterViolations({ 'tickets.dlq': 0, 'orders.dlq': 0 })).toEqual([])
    expect(deadLetterViolations({ 'tickets.dlq': 1 })[0]?.message).toBe(
      '1 dead letter(s), expected 0 (tickets.dlq: 1)',
    )
    expect(deadLetterViolations({ 'tickets.dlq': 1, 'orders.dlq': 0 }, 1)).toEqual([])
    const perTopic = parseExpectedDeadLetters('tickets.dlq=1')
    expect(deadLetterViolations({ 'tickets.dlq': 1, 'orders.dlq': 0 }, perTopic)).toEqual([])
    expect(deadLetterViolations({ 'tickets.dlq': 0, 'orders.dlq': 1 }, perTopic)).toHaveLength(2)
    expect(() => parseExpectedDeadLetters('tickets.dlq')).toThrow('--expect-dlq')
  })

  it("counts twtix's own dead-letter topics only, with their prefix", () => {
    const broker = ['tickets', 'tickets.dlq', 'orders.dlq', 'contract-poison-1.dlq', 'x-orders.dlq']
    expect(ownDeadLetterTopics(broker, '')).toEqual(['orders.dlq', 'tickets.dlq'])
    expect(ownDeadLetterTopics(broker, 'x-')).toEqual(['x-orders.dlq'])
  })
})

async function insertPayment(tx: Db, orderId: string, status: string) {
  await tx.execute(sql`insert into payments.payments (id, order_id, user_id, amount, status,
    stripe_id, gateway_key, created_at, updated_at) values (${uuid()}, ${orderId}, ${uuid()},
    5000, ${status}, 'pi_test', ${`pay-${uuid()}`}, now(), now())`)
}
