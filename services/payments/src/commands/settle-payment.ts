import { enqueue, inTransaction } from '@twtix/common'
import { and, eq, ne } from 'drizzle-orm'
import { lockPayment } from '../db/queries.ts'
import { events, orders, outbox, type Payment, payments } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { createPayout } from './create-payout.ts'
import { paymentEvent } from './envelope.ts'
import { refundPayment } from './refund-payment.ts'

/**
 * Records a successful charge, creates the seller's held payout and announces it. When the
 * order (or its event) was cancelled meanwhile, or another payment already paid it, the charge
 * is refunded instead: never a charged buyer
 * without a ticket. The order row is locked, so a cancellation is applied before or after,
 * never between the check and the write.
 */
export async function settlePayment(deps: Deps, paymentId: string, stripeId: string) {
  const decision = await inTransaction(deps, async (tx) => {
    const payment = await lockPayment(tx, paymentId)
    if (payment.status !== 'pending') return { payment, refund: false }
    const [order] = await tx.db
      .select()
      .from(orders)
      .where(eq(orders.id, payment.orderId))
      .for('update')
    const [other] = await tx.db
      .select({ id: payments.id })
      .from(payments)
      .where(
        and(
          eq(payments.orderId, payment.orderId),
          eq(payments.status, 'succeeded'),
          ne(payments.id, payment.id),
        ),
      )
      .limit(1)
    const now = deps.clock()
    const [event] = order?.eventId
      ? await tx.db.select().from(events).where(eq(events.id, order.eventId))
      : []
    const refused =
      order?.status === 'cancelled' ||
      order?.status === 'completed' ||
      event?.status === 'cancelled' ||
      other
    if (refused) {
      // Marked in this transaction: the refund job finishes it if this process dies first.
      const [charged] = await tx.db
        .update(payments)
        .set({ stripeId, updatedAt: now, refundDueAt: now })
        .where(eq(payments.id, paymentId))
        .returning()
      return { payment: charged as Payment, refund: true }
    }
    const [succeeded] = await tx.db
      .update(payments)
      .set({ status: 'succeeded', stripeId, updatedAt: now })
      .where(eq(payments.id, paymentId))
      .returning()
    if (order) await createPayout(deps, tx, order, succeeded as Payment, stripeId)
    await enqueue(
      tx,
      outbox,
      paymentEvent(deps, 'payment.succeeded', {
        id: payment.id,
        orderId: payment.orderId,
        amount: payment.amount,
        stripeId,
      }),
    )
    return { payment: succeeded as Payment, refund: false }
  })
  if (!decision.refund) return decision.payment
  deps.logger.warn('charge refunded: the order was cancelled or paid meanwhile', {
    paymentId,
    orderId: decision.payment.orderId,
  })
  return refundPayment(deps, decision.payment)
}
