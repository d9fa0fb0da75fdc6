import {
  authKeysTable,
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
export const tickets = ordersSchema.table('tickets', {
  id: uuid('id').primaryKey(),
  title: text('title').notNull(),
  price: integer('price').notNull(),
  userId: uuid('user_id').notNull(),
  status: text('status').$type<TicketStatus>().notNull(),
  orderId: uuid('order_id'),
  version: integer('version').notNull(),
  /** When the ticket's event starts (null: no event): no order from that moment on. */
  eventStartsAt: timestamp('event_starts_at', { withTimezone: true }),
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

export const outbox = outboxTable(ordersSchema)
export const processedEvents = processedEventsTable(ordersSchema)
export const idempotencyKeys = idempotencyKeysTable(ordersSchema)
/** auth's public keys as last fetched from AUTH_JWKS_URL (standalone runs). */
export const authKeys = authKeysTable(ordersSchema)
export const revokedSessions = revokedSessionsTable(ordersSchema)

export type Order = typeof orders.$inferSelect
export type Ticket = typeof tickets.$inferSelect
