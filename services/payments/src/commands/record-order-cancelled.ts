import type { EventData, Tx } from '@twtix/common'
import { and, eq, isNull } from 'drizzle-orm'
import { payments } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { applyOrderVersion } from './apply-order-version.ts'

/**
 * Marks the copy cancelled so later payments are refused, and marks a payment that succeeded
 * before the cancellation reached us (the hold ended while the buyer was paying) for a refund:
 * the refund job gives the money back once this transaction has committed.
 */
export async function recordOrderCancelled(
  deps: Pick<Deps, 'clock' | 'logger'>,
  tx: Tx,
  data: EventData<'order.cancelled'>,
) {
  if (!(await applyOrderVersion(tx, data, 'cancelled'))) return
  const due = await tx.db
    .update(payments)
    .set({ refundDueAt: deps.clock() })
    .where(
      and(
        eq(payments.orderId, data.id),
        eq(payments.status, 'succeeded'),
        isNull(payments.refundDueAt),
      ),
    )
    .returning({ id: payments.id })
  for (const payment of due) {
    deps.logger.warn('refund due: a payment of a cancelled order', {
      paymentId: payment.id,
      orderId: data.id,
    })
  }
}
