import { and, asc, inArray, isNotNull, lte } from 'drizzle-orm'
import { payments } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { refundPayment } from './refund-payment.ts'

const BATCH = 50

/**
 * Gives back every charge marked for a refund, outside any transaction: the gateway call holds
 * no row lock, and its idempotency key (derived from the payment) makes a second call, from a
 * retry or another replica, return the first refund. A refund the gateway refuses is logged and
 * tried again on the next run. Resolves with how many payments were refunded.
 */
export async function refundDue(deps: Deps): Promise<number> {
  const due = await deps.db
    .select()
    .from(payments)
    .where(
      and(
        isNotNull(payments.refundDueAt),
        lte(payments.refundDueAt, deps.clock()),
        inArray(payments.status, ['pending', 'succeeded']),
        isNotNull(payments.stripeId),
      ),
    )
    .orderBy(asc(payments.refundDueAt))
    .limit(BATCH)
  let refunded = 0
  for (const payment of due) {
    try {
      if ((await refundPayment(deps, payment)).status === 'refunded') refunded++
    } catch (err) {
      deps.logger.warn('refund failed; will retry', { paymentId: payment.id, error: err })
    }
  }
  return refunded
}
