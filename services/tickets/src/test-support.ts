import {
  createEnvelope,
  type Db,
  type EventData,
  inTransaction,
  manualClock,
  memoryLogger,
  type Subject,
  type Tx,
} from '@twtix/common'
import { createTestAuth, createTestDatabase } from '@twtix/common/testing'
import { asc, eq } from 'drizzle-orm'
import { afterAll } from 'vitest'
import { createApp } from './app.ts'
import { type CreateEventInput, createEvent } from './commands/create-event.ts'
import { type CreateTicketInput, createTicket } from './commands/create-ticket.ts'
import { outbox, tickets } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { migrationsFolder } from './service.ts'

/** One database, app and token issuer per test file; each test makes its own data. */
export async function setupTickets(
  config: Deps['config'] = { RESALE_PRICE_CAP: 1, DELIVERY_DEADLINE_HOURS: 24 },
) {
  const database = await createTestDatabase({ service: 'tickets', migrationsFolder })
  afterAll(() => database.close())
  const auth = await createTestAuth()
  const clock = manualClock()
  const logger = memoryLogger()
  const deps: Deps = { db: database.db, clock, logger, config, verifier: auth.verifier }
  const app = createApp(deps)
  return { db: database.db, auth, clock, logger, deps, app }
}

export function jsonRequest(method: string, body: unknown, headers: Record<string, string> = {}) {
  return {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }
}

/** A ticket listed by a new seller (or the given one). */
export async function listedTicket(deps: Deps, userId: string = crypto.randomUUID(), price = 1500) {
  return inTransaction(deps, (tx) =>
    createTicket(deps, tx, { userId, title: 'Concert ticket', price }),
  )
}

/** An event starting a day after the clock's now, with a name no other test uses. */
export async function newEvent(deps: Deps, overrides: Partial<CreateEventInput> = {}) {
  const startsAt = new Date(deps.clock().getTime() + 24 * 60 * 60 * 1000)
  const { event } = await inTransaction(deps, (tx) =>
    createEvent(deps, tx, {
      userId: crypto.randomUUID(),
      name: `Live ${crypto.randomUUID()}`,
      venue: 'Nippon Budokan',
      city: 'Tokyo',
      startsAt,
      ...overrides,
    }),
  )
  return event
}

/** A ticket of an event, at face value unless told otherwise. */
export async function eventTicket(
  deps: Deps,
  eventId: string,
  input: Partial<CreateTicketInput> = {},
) {
  return inTransaction(deps, (tx) =>
    createTicket(deps, tx, {
      userId: crypto.randomUUID(),
      price: input.faceValue ?? 8000,
      faceValue: 8000,
      eventId,
      ...input,
    }),
  )
}

export async function ticketRow(db: Db, id: string) {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id))
  return row
}

/** The ticket's outbox rows in order, with their envelopes parsed. */
export async function outboxOf(db: Db, ticketId: string) {
  const rows = await db
    .select()
    .from(outbox)
    .where(eq(outbox.key, ticketId))
    .orderBy(asc(outbox.id))
  return rows.map((r) => ({ ...r, event: JSON.parse(r.payload) }))
}

/** An order event as orders would publish it. */
export function orderEvent<S extends Subject & `order.${string}`>(
  type: S,
  data: EventData<S>,
  occurredAt = new Date(),
) {
  return createEnvelope(type, data, { occurredAt })
}

export function orderCreated(
  ticketId: string,
  orderId: string = crypto.randomUUID(),
  at = new Date(),
  buyerId: string = crypto.randomUUID(),
) {
  return orderEvent(
    'order.created',
    {
      id: orderId,
      userId: buyerId,
      status: 'created',
      expiresAt: new Date(at.getTime() + 900_000).toISOString(),
      version: 0,
      ticket: { id: ticketId, title: 'Concert ticket', price: 1500 },
    },
    at,
  )
}

export function orderCancelled(ticketId: string, orderId: string, version = 1) {
  return orderEvent('order.cancelled', { id: orderId, version, ticket: { id: ticketId } })
}

export function orderCompleted(ticketId: string, orderId: string, version = 1) {
  return orderEvent('order.completed', { id: orderId, version, ticket: { id: ticketId } })
}

/** Runs a handler as the consumer does: inside one transaction. */
export function applyEvent<E>(db: Db, handler: (tx: Tx, event: E) => Promise<void>, event: E) {
  return inTransaction({ db: db }, (tx) => handler(tx, event))
}
