import {
  authKeysTable,
  idempotencyKeysTable,
  outboxTable,
  processedEventsTable,
  revokedSessionsTable,
} from '@twtix/common'
import { sql } from 'drizzle-orm'
import {
  boolean,
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
    /** What the buyer is charged (price + buyer fee); null for orders placed before fees. */
    total: integer('total'),
    buyerFee: integer('buyer_fee'),
    sellerFee: integer('seller_fee'),
    /** The seller to pay after the event, and the event (null: a listing without one). */
    sellerId: uuid('seller_id'),
    eventId: uuid('event_id'),
  },
  (t) => [
    index('orders_event_id_idx').on(t.eventId),
    check('orders_status_check', sql`status in ('created', 'cancelled', 'completed')`),
  ],
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

/**
 * A seller's Stripe Connect Express account (country JP), created once by
 * POST /api/payouts/account; `payoutsEnabled` follows Stripe's account.updated webhook.
 */
export const sellerAccounts = paymentsSchema.table('seller_accounts', {
  userId: uuid('user_id').primaryKey(),
  stripeAccountId: text('stripe_account_id').notNull().unique(),
  payoutsEnabled: boolean('payouts_enabled').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
})

export type EventCopyStatus = 'scheduled' | 'postponed' | 'cancelled' | 'finished'

/** The replica of tickets' events (event.created / event.updated): when payouts fall due. */
export const events = paymentsSchema.table('events', {
  id: uuid('id').primaryKey(),
  status: text('status').$type<EventCopyStatus>().notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }),
  version: integer('version').notNull(),
})

/**
 * `held`: the money waits for `dueAt` (the event's end + PAYOUT_DELAY_DAYS), or for an open
 * claim; `blocked`: due, but the seller's onboarding is incomplete; `paid`: transferred;
 * `reversed`: paid, then taken back (a claim refunded); `cancelled`: the order was refunded first.
 */
export type PayoutStatus = 'held' | 'blocked' | 'paid' | 'reversed' | 'cancelled'

/** One per paid order: the seller's share (price − seller fee), transferred after the event. */
export const payouts = paymentsSchema.table(
  'payouts',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    paymentId: uuid('payment_id').notNull(),
    sellerId: uuid('seller_id').notNull(),
    eventId: uuid('event_id'),
    amount: integer('amount').notNull(),
    status: text('status').$type<PayoutStatus>().notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** The open claim on the order, if any: the payout waits while it is set. */
    claimId: uuid('claim_id'),
    /** The charge the transfer is funded from (the PaymentIntent, whose charge Stripe uses). */
    chargeId: text('charge_id').notNull(),
    transferId: text('transfer_id'),
    /** Failed transfers so far: the worker waits 1 s, 2 s, 4 s … (at most 1 h) after each. */
    attempts: integer('attempts').notNull().default(0),
    /** After a failed transfer, not before this: one failing payout never blocks the others. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** Set when a paid payout must be taken back; the payouts worker reverses the transfer. */
    reversalDueAt: timestamp('reversal_due_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('payouts_order_id_key').on(t.orderId),
    index('payouts_due_idx').on(t.dueAt).where(sql`status = 'held' and claim_id is null`),
    index('payouts_reversal_due_idx')
      .on(t.reversalDueAt)
      .where(sql`status = 'paid' and reversal_due_at is not null`),
    index('payouts_seller_idx').on(t.sellerId, t.createdAt),
    index('payouts_event_idx').on(t.eventId),
    check(
      'payouts_status_check',
      sql`status in ('held', 'blocked', 'paid', 'reversed', 'cancelled')`,
    ),
    check('payouts_amount_check', sql`amount >= 0`),
  ],
)

/**
 * The offline gateway's transfers, as Stripe would keep them: one per idempotency key, written
 * outside the payouts worker's transaction (on their own connection), so a transfer made just
 * before a crash outlives the rollback and a retry with the same key finds it. What the
 * invariant checker counts transfers from. Empty with Stripe, and in the embedded PGlite (one
 * connection: the offline gateway keeps them in memory there).
 */
export const offlineTransfers = paymentsSchema.table(
  'offline_transfers',
  {
    idempotencyKey: text('idempotency_key').primaryKey(),
    id: text('id').notNull().unique(),
    /** metadata.payoutId: a second key for one payout is a second transfer. */
    payoutId: text('payout_id'),
    amount: integer('amount').notNull(),
    destination: text('destination').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('offline_transfers_payout_idx').on(t.payoutId)],
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
export type Payout = typeof payouts.$inferSelect
export type SellerAccount = typeof sellerAccounts.$inferSelect
