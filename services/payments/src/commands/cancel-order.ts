import type { EventData } from '@twtix/common'
import { and, eq } from 'drizzle-orm'
import { payments } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { applyOrderVersion } from './apply-order-version.ts'
import { refundPayment } from './refund-payment.ts'

/**
 * Marks the copy cancelled so later payments are refused, and refunds a payment that succeeded
 * before the cancellation reached us (the hold ended while the buyer was paying).
 */
export async function cancelOrder(deps: Deps, data: EventData<'order.cancelled'>) {
  if (!(await applyOrderVersion(deps.db, data, 'cancelled'))) return
  const charged = await deps.db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, data.id), eq(payments.status, 'succeeded')))
  for (const payment of charged) {
    deps.logger.warn('refunding a payment of a cancelled order', {
      paymentId: payment.id,
      orderId: data.id,
    })
    await refundPayment(deps, payment)
  }
}
