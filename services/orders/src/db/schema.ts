import {
  authKeysTable,
  type ClaimOutcome,
  type ClaimReason,
  type EventStatus,
  idempotencyKeysTable,
  type OrderStatus,
  outboxTable,
  processedEventsTable,
  revokedSessionsTable,
  type TicketStatus,
} from '@twtix/common'
import { sql } from 'drizzle-orm'
import {
  check,
  index,
  integer,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

export const ordersSchema = pgSchema('orders')

/** The replica of the tickets service's tickets, fed by ticket.created / ticket.updated. */
export const tickets = ordersSchema.table(
  'tickets',
  {
    id: uuid('id').primaryKey(),
    title: text('title').notNull(),
    price: integer('price').notNull(),
    userId: uuid('user_id').notNull(),
    status: text('status').$type<TicketStatus>().notNull(),
    orderId: uuid('order_id'),
    version: integer('version').notNull(),
    /** When the ticket's event starts (null: no event): no order from that moment on. */
    eventStartsAt: timestamp('event_starts_at', { withTimezone: true }),
    /** The ticket's event (null: a listing without one); event.updated finds its tickets by it. */
    eventId: uuid('event_id'),
    /** When the event ends (null: unknown or no event): claims are open until a while after. */
    eventEndsAt: timestamp('event_ends_at', { withTimezone: true }),
  },
  (t) => [index('tickets_event_idx').on(t.eventId)],
)

/**
 * The replica of the tickets service's events, fed by event.updated (whole state, so the newest
 * version wins and older ones are skipped). Its times override the ticket events' copies.
 */
export const events = ordersSchema.table('events', {
  id: uuid('id').primaryKey(),
  status: text('status').$type<EventStatus>().notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }),
  version: integer('version').notNull(),
})

export const orders = ordersSchema.table(
  'orders',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    status: text('status').$type<OrderStatus>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /**
     * The price and title of the ticket when the order was placed: what the buyer is charged,
     * whatever the seller edits later. Null only for orders placed before it was kept.
     */
    price: integer('price'),
    title: text('title'),
    /** Why the last payment attempt failed, for the buyer to see; cleared on completion. */
    paymentError: text('payment_error'),
    paymentErrorAt: timestamp('payment_error_at', { withTimezone: true }),
    refundedAt: timestamp('refunded_at', { withTimezone: true }),
    /** When the order was cancelled or completed: the buyer's cool-down counts from it. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /**
     * Fees in whole yen fixed when the order was placed (see fees.ts): the buyer is charged
     * `total` = price + buyerFee; the seller is paid price − sellerFee. Null on older orders.
     */
    buyerFee: integer('buyer_fee'),
    sellerFee: integer('seller_fee'),
    total: integer('total'),
  },
  (t) => [
    // THE guarantee: at most one active (created or complete) order per ticket. Competing
    // inserts are decided here, by the database, never by a read before the insert.
    uniqueIndex('orders_one_active_per_ticket')
      .on(t.ticketId)
      .where(sql`status in ('created', 'complete')`),
    index('orders_user_created_idx').on(t.userId, t.createdAt),
    check('orders_status_check', sql`${t.status} in ('created', 'cancelled', 'complete')`),
  ],
)

export type ClaimStatus = 'open' | 'resolved'

/** A buyer's claim on a paid order (buyer guarantee), resolved by an admin. */
export const claims = ordersSchema.table(
  'claims',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    /** The buyer who opened it. */
    userId: uuid('user_id').notNull(),
    ticketId: uuid('ticket_id').notNull(),
    reason: text('reason').$type<ClaimReason>().notNull(),
    details: text('details'),
    status: text('status').$type<ClaimStatus>().notNull(),
    outcome: text('outcome').$type<ClaimOutcome>(),
    note: text('note'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by'),
  },
  (t) => [
    // At most one open claim per order, decided by the database.
    uniqueIndex('claims_one_open_per_order').on(t.orderId).where(sql`status = 'open'`),
    // The admins' list: by status, newest first, keyset-paginated on (opened_at, id).
    index('claims_status_opened_idx').on(t.status, t.openedAt.desc(), t.id.desc()),
    index('claims_order_idx').on(t.orderId, t.openedAt),
    check('claims_status_check', sql`${t.status} in ('open', 'resolved')`),
    check('claims_resolved_check', sql`(${t.status} = 'resolved') = (${t.outcome} is not null)`),
    check('claims_details_check', sql`char_length(${t.details}) <= 1000`),
  ],
)

export type Claim = typeof claims.$inferSelect

export const outbox = outboxTable(ordersSchema)
export const processedEvents = processedEventsTable(ordersSchema)
export const idempotencyKeys = idempotencyKeysTable(ordersSchema)
/** auth's public keys as last fetched from AUTH_JWKS_URL (standalone runs). */
export const authKeys = authKeysTable(ordersSchema)
export const revokedSessions = revokedSessionsTable(ordersSchema)

export type Order = typeof orders.$inferSelect
export type Ticket = typeof tickets.$inferSelect
