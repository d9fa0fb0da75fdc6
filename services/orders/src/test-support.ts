// Helpers for this service's tests: each test file gets its own database, and each test makes
// its own tickets and orders through them.
import {
  type AnyEnvelope,
  createEnvelope,
  type Db,
  type EventData,
  type EventHandler,
  inTransaction,
  manualClock,
  memoryLogger,
  readConfig,
  rowsOf,
  type Subject,
} from '@twtix/common'
import { createTestAuth, createTestDatabase } from '@twtix/common/testing'
import { asc, eq, sql } from 'drizzle-orm'
import { afterAll } from 'vitest'
import { createApp } from './app.ts'
import { insertTicket } from './commands/apply-ticket.ts'
import { OrdersConfigSchema } from './config.ts'
import { orders, outbox, tickets } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { migrationsFolder } from './service.ts'

export const HOLD_SECONDS = 900

/** One database, app and token issuer per test file, closed after it; each test makes its own data. */
export async function setupOrders(env: Record<string, string> = {}) {
  const database = await createTestDatabase({ service: 'orders', migrationsFolder })
  afterAll(() => database.close())
  const auth = await createTestAuth()
  const clock = manualClock()
  const logger = memoryLogger()
  const wakes = { count: 0 }
  const deps: Deps = {
    db: database.db,
    clock,
    logger,
    config: readConfig(OrdersConfigSchema, { ORDER_HOLD_SECONDS: String(HOLD_SECONDS), ...env }),
    relay: { wake: () => void wakes.count++ },
    verifier: auth.verifier,
  }
  const app = createApp(deps)
  return { database, db: database.db, auth, clock, logger, deps, app, wakes }
}

export type TestContext = Awaited<ReturnType<typeof setupOrders>>

export type TicketData = EventData<'ticket.created'>

/** A ticket in the replica, listed by a new seller unless `userId` is given. */
export async function seedTicket(ctx: TestContext, overrides: Partial<TicketData> = {}) {
  const ticket: TicketData = {
    id: crypto.randomUUID(),
    title: `Concert ${crypto.randomUUID().slice(0, 6)}`,
    price: 2500,
    userId: crypto.randomUUID(),
    status: 'available',
    orderId: null,
    version: 0,
    ...overrides,
  }
  await inTransaction(ctx.deps, (tx) => insertTicket(tx, ticket))
  return ticket
}

export function json(headers: Record<string, string>, body: unknown, extra = {}) {
  return {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json', ...extra },
    body: JSON.stringify(body),
  }
}

/** A signed-in buyer with a `created` order for a new ticket. */
export async function seedOrder(ctx: TestContext, ticketOverrides: Partial<TicketData> = {}) {
  const buyer = await ctx.auth.user()
  const ticket = await seedTicket(ctx, ticketOverrides)
  const res = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: ticket.id }))
  if (res.status !== 201) throw new Error(`seedOrder: ${res.status} ${await res.text()}`)
  const order = (await res.json()) as { id: string; version: number }
  return { buyer, ticket, order }
}

export async function orderRow(db: Db, id: string) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row
}

export async function ticketRow(db: Db, id: string) {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id))
  return row
}

/** The events in the outbox about this order, oldest first. */
export async function outboxEvents(db: Db, orderId: string) {
  const rows = await db
    .select()
    .from(outbox)
    .where(sql`(${outbox.payload}::jsonb -> 'data' ->> 'id') = ${orderId}`)
    .orderBy(asc(outbox.id))
  return rows.map((row) => ({ ...row, event: JSON.parse(row.payload) as AnyEnvelope }))
}

export function envelope<S extends Subject>(type: S, data: EventData<S>, occurredAt?: Date) {
  return createEnvelope(type, data, { occurredAt })
}

/** Runs a handler the way the consumer does: inside one transaction. */
export function handle<S extends Subject>(
  db: Db,
  handler: EventHandler<S>,
  type: S,
  data: EventData<S>,
  occurredAt?: Date,
) {
  const event = envelope(type, data, occurredAt)
  return inTransaction({ db: db }, (tx) => handler(tx, event))
}

/**
 * Polls until a statement of this database waits on a lock ('blocked'), or `done` settles first
 * ('done'). Needs a server: on PGlite's one connection nothing runs beside a transaction.
 */
export async function blockedOrDone(db: Db, done: Promise<unknown>) {
  let settled = false
  done.then(
    () => (settled = true),
    () => (settled = true),
  )
  for (let i = 0; i < 500 && !settled; i++) {
    const rows = await db.execute(
      sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    )
    if (rowsOf(rows).length > 0) return 'blocked'
    await new Promise((r) => setImmediate(r))
  }
  return settled ? 'done' : 'timeout'
}
