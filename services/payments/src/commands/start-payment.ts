import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  type Tx,
} from '@twtix/common'
import { and, asc, count, eq, gt } from 'drizzle-orm'
import { orders, type Payment, payments } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

/** Stripe's minimum charge in JPY. */
export const MIN_AMOUNT_YEN = 50

export type PayInput = {
  userId: string
  orderId: string
  token: string
  /** The caller's Idempotency-Key, when it sent one. */
  idempotencyKey?: string
}

/**
 * The gateway's idempotency key. With the caller's Idempotency-Key it is derived from it, so a
 * request retried after a crash charges with the same key and Stripe charges once; without
 * one, every attempt is a new charge.
 */
export async function gatewayKeyOf(input: PayInput): Promise<string> {
  if (!input.idempotencyKey) return `pay-${crypto.randomUUID()}`
  const text = `${input.userId}\n${input.orderId}\n${input.idempotencyKey}`
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `pay-${hex}`
}

/**
 * Checks that the caller may pay for the order and records a `pending` payment before the
 * gateway is called. A payment already made with the same gateway key is returned as it is.
 */
export async function startPayment(deps: Deps, tx: Tx, input: PayInput): Promise<Payment> {
  const gatewayKey = await gatewayKeyOf(input)
  const [retried] = await tx.db.select().from(payments).where(eq(payments.gatewayKey, gatewayKey))
  if (retried) return retried
  const [order] = await tx.db.select().from(orders).where(eq(orders.id, input.orderId))
  if (!order) throw new NotFoundError('Order not found')
  if (order.userId !== input.userId) throw new ForbiddenError('You cannot pay for this order')
  if (order.status === 'cancelled') throw new BadRequestError('Cannot pay for a cancelled order')
  const [paid] = await tx.db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orderId, order.id), eq(payments.status, 'succeeded')))
    .limit(1)
  if (order.status === 'completed' || paid) throw new BadRequestError('Order is already paid')
  const now = deps.clock()
  // The cancellation may still be on its way: the hold's end is enough to refuse.
  if (order.expiresAt <= now) throw new BadRequestError('Order has expired')
  // The total (price + buyer fee); an order placed before fees is charged its price.
  const amount = order.total ?? order.price
  if (amount < MIN_AMOUNT_YEN) {
    throw new BadRequestError(`The amount must be at least ${MIN_AMOUNT_YEN} yen`)
  }
  await checkDeclines(deps, tx, order.id, input.userId, now)
  const [payment] = await tx.db
    .insert(payments)
    .values({
      id: crypto.randomUUID(),
      orderId: order.id,
      userId: input.userId,
      amount,
      status: 'pending',
      gatewayKey,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
  return payment as Payment
}

export const TOO_MANY_DECLINES = 'This order had too many declined payments and is cancelled'

/**
 * Card testing: an order takes PAYMENT_DECLINES_PER_ORDER declines (the last one cancels it, see
 * failPayment), and a buyer PAYMENT_DECLINES_PER_USER in the window over all orders, after which
 * the buyer waits (429) until the oldest of them leaves the window.
 */
export async function declinesOf(tx: Tx, orderId: string) {
  const [row] = await tx.db
    .select({ n: count() })
    .from(payments)
    .where(and(eq(payments.orderId, orderId), eq(payments.status, 'failed')))
  return row?.n ?? 0
}

async function checkDeclines(deps: Deps, tx: Tx, orderId: string, userId: string, now: Date) {
  if ((await declinesOf(tx, orderId)) >= deps.config.PAYMENT_DECLINES_PER_ORDER) {
    throw new BadRequestError(TOO_MANY_DECLINES)
  }
  const limit = deps.config.PAYMENT_DECLINES_PER_USER
  const windowMs = deps.config.PAYMENT_DECLINE_WINDOW_SECONDS * 1000
  const recent = await tx.db
    .select({ at: payments.updatedAt })
    .from(payments)
    .where(
      and(
        eq(payments.userId, userId),
        eq(payments.status, 'failed'),
        gt(payments.updatedAt, new Date(now.getTime() - windowMs)),
      ),
    )
    .orderBy(asc(payments.updatedAt))
    .limit(limit)
  const [oldest] = recent
  if (oldest && recent.length >= limit) {
    const wait = (oldest.at.getTime() + windowMs - now.getTime()) / 1000
    throw new TooManyRequestsError(wait, 'Too many declined payments; try again later')
  }
}
