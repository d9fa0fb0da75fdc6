import {
  authKeysTable,
  idempotencyKeysTable,
  outboxTable,
  processedEventsTable,
  revokedSessionsTable,
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

export const paymentsSchema = pgSchema('payments')

export type OrderCopyStatus = 'created' | 'cancelled' | 'completed'
export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded'

/** The replica of orders, fed by order events: what a buyer may pay for and how much. */
export const orders = paymentsSchema.table(
  'orders',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    price: integer('price').notNull(),
    status: text('status').$type<OrderCopyStatus>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull(),
  },
  () => [check('orders_status_check', sql`status in ('created', 'cancelled', 'completed')`)],
)

export const payments = paymentsSchema.table(
  'payments',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    userId: uuid('user_id').notNull(),
    amount: integer('amount').notNull(),
    status: text('status').$type<PaymentStatus>().notNull(),
    /** The PaymentIntent id (pi_...), once the gateway has answered. */
    stripeId: text('stripe_id'),
    failureMessage: text('failure_message'),
    /** The idempotency key of the charge: a retried request reuses it and is never charged twice. */
    gatewayKey: text('gateway_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    /**
     * Set in the transaction that decides a charge must be given back (its order was cancelled,
     * or paid by another payment); the refund job calls the gateway after that commit, never
     * while a row is locked, and retries until the payment is `refunded`.
     */
    refundDueAt: timestamp('refund_due_at', { withTimezone: true }),
  },
  (t) => [
    index('payments_refund_due_idx')
      .on(t.refundDueAt)
      .where(sql`refund_due_at is not null and status in ('pending', 'succeeded')`),
    uniqueIndex('payments_gateway_key_key').on(t.gatewayKey),
    index('payments_order_id_idx').on(t.orderId),
    index('payments_stripe_id_idx').on(t.stripeId),
    // A buyer's recent declines, counted before each attempt (card testing).
    index('payments_user_failed_idx').on(t.userId, t.updatedAt).where(sql`status = 'failed'`),
    check('payments_status_check', sql`status in ('pending', 'succeeded', 'failed', 'refunded')`),
  ],
)

/** Stripe webhook events already handled; their ids (evt_...) are not uuids. */
export const stripeEvents = paymentsSchema.table('stripe_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
})

export const outbox = outboxTable(paymentsSchema)
export const processedEvents = processedEventsTable(paymentsSchema)
export const idempotencyKeys = idempotencyKeysTable(paymentsSchema)
/** auth's public keys as last fetched, to verify sessions while auth is down. */
export const authKeys = authKeysTable(paymentsSchema)
export const revokedSessions = revokedSessionsTable(paymentsSchema)

export type Payment = typeof payments.$inferSelect
export type OrderCopy = typeof orders.$inferSelect
