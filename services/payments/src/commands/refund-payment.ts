import { enqueue, inTransaction, type Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { lockPayment } from '../db/queries.ts'
import { outbox, type Payment, payments } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { cancelPayout } from './cancel-payout.ts'
import { paymentEvent } from './envelope.ts'

/**
 * Gives the money back: the gateway refund's key is derived from the payment, so a retried
 * handler or a second path to the same refund returns Stripe's first refund instead of a new one.
 */
export async function refundPayment(deps: Deps, payment: Payment): Promise<Payment> {
  if (!payment.stripeId) throw new Error(`payment ${payment.id} has no charge to refund`)
  await deps.gateway.refund({
    paymentIntentId: payment.stripeId,
    idempotencyKey: `refund-${payment.id}`,
  })
  return inTransaction(deps, (tx) => markRefunded(deps, tx, payment.id))
}

/** Records a refund done at the gateway (by twtix or from Stripe's dashboard) once. */
export async function markRefunded(deps: Deps, tx: Tx, paymentId: string): Promise<Payment> {
  const payment = await lockPayment(tx, paymentId)
  if (payment.status === 'refunded' || payment.status === 'failed' || !payment.stripeId) {
    return payment
  }
  const [refunded] = await tx.db
    .update(payments)
    .set({ status: 'refunded', updatedAt: deps.clock() })
    .where(eq(payments.id, paymentId))
    .returning()
  await cancelPayout(deps, tx, payment.orderId)
  await enqueue(
    tx,
    outbox,
    paymentEvent(deps, 'payment.refunded', {
      id: payment.id,
      orderId: payment.orderId,
      amount: payment.amount,
      stripeId: payment.stripeId,
    }),
  )
  return refunded as Payment
}
