import type { Tx } from '@twtix/common'
import { and, eq, inArray, isNull } from 'drizzle-orm'
import { payments, payouts } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

/**
 * The order's money goes back to the buyer, so the seller is not paid: a payout still waiting is
 * cancelled; one already transferred is marked for reversal (the payouts worker takes it back).
 * The one place every refund path goes through (markRefunded, and the decisions that make a
 * refund due), so a refunded order never also pays its seller.
 */
export async function cancelPayout(deps: Pick<Deps, 'clock'>, tx: Tx, orderId: string) {
  const now = deps.clock()
  await tx.db
    .update(payouts)
    .set({ status: 'cancelled', updatedAt: now })
    .where(and(eq(payouts.orderId, orderId), inArray(payouts.status, ['held', 'blocked'])))
  await tx.db
    .update(payouts)
    .set({ reversalDueAt: now, updatedAt: now })
    .where(
      and(eq(payouts.orderId, orderId), eq(payouts.status, 'paid'), isNull(payouts.reversalDueAt)),
    )
}

/**
 * Decides that an order's succeeded payment is given back in full (its total, fees included):
 * marked here, refunded by the refund job after the commit; the payout stops at once. Resolves
 * with how many payments were marked.
 */
export async function refundOrder(deps: Pick<Deps, 'clock'>, tx: Tx, orderId: string) {
  const marked = await tx.db
    .update(payments)
    .set({ refundDueAt: deps.clock() })
    .where(
      and(
        eq(payments.orderId, orderId),
        eq(payments.status, 'succeeded'),
        isNull(payments.refundDueAt),
      ),
    )
    .returning({ id: payments.id })
  await cancelPayout(deps, tx, orderId)
  return marked.length
}
