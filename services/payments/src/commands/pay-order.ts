import { BadRequestError, ConflictError, inTransaction, PaymentRequiredError } from '@twtix/common'
import type { Payment } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { failPayment } from './fail-payment.ts'
import { settlePayment } from './settle-payment.ts'
import { type PayInput, startPayment } from './start-payment.ts'

/** Stripe's link between a buyer's charge and the seller's transfer of one order. */
export const transferGroupOf = (orderId: string) => `order_${orderId}`

export type PaymentView = {
  id: string
  orderId: string
  status: string
  /** What was charged, in yen: the order's total (its price plus the buyer fee). */
  amount: number
  currency: 'JPY'
  stripeId: string | null
}

/**
 * Pays for an order: a pending payment is committed first, the gateway is called outside any
 * transaction, and its answer is recorded in a second one.
 */
export async function payOrder(deps: Deps, input: PayInput): Promise<PaymentView> {
  const payment = await inTransaction(deps, (tx) => startPayment(deps, tx, input))
  if (payment.status !== 'pending') return outcome(payment)
  const result = await deps.gateway.charge({
    amount: payment.amount,
    currency: 'jpy',
    token: input.token,
    idempotencyKey: payment.gatewayKey,
    metadata: { orderId: payment.orderId, paymentId: payment.id },
    transferGroup: transferGroupOf(payment.orderId),
  })
  const settled =
    result.status === 'succeeded'
      ? await settlePayment(deps, payment.id, result.id)
      : await inTransaction(deps, (tx) => failPayment(deps, tx, payment.id, result))
  return outcome(settled)
}

function outcome(payment: Payment): PaymentView {
  switch (payment.status) {
    case 'succeeded':
      return {
        id: payment.id,
        orderId: payment.orderId,
        status: payment.status,
        amount: payment.amount,
        currency: 'JPY',
        stripeId: payment.stripeId,
      }
    case 'failed':
      throw new PaymentRequiredError(payment.failureMessage ?? 'Your card was declined.')
    case 'refunded':
      throw new BadRequestError(
        'The order was cancelled or already paid; this payment has been refunded',
      )
    case 'pending':
      throw new ConflictError('This payment is still being processed')
  }
}
