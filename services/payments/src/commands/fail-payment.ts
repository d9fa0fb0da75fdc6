import { enqueue, type Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { lockPayment } from '../db/queries.ts'
import { outbox, type Payment, payments } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { paymentEvent } from './envelope.ts'
import { declinesOf } from './start-payment.ts'

export type Decline = { message: string; id?: string }

/**
 * A declined charge: the payment fails, the order stays payable until its hold ends, unless this
 * was the order's last allowed decline: then payment.failed says so and orders cancels it.
 */
export async function failPayment(deps: Deps, tx: Tx, paymentId: string, decline: Decline) {
  const payment = await lockPayment(tx, paymentId)
  if (payment.status !== 'pending') return payment
  const [failed] = await tx.db
    .update(payments)
    .set({
      status: 'failed',
      failureMessage: decline.message,
      stripeId: decline.id ?? payment.stripeId,
      updatedAt: deps.clock(),
    })
    .where(eq(payments.id, paymentId))
    .returning()
  const tooManyDeclines =
    (await declinesOf(tx, payment.orderId)) >= deps.config.PAYMENT_DECLINES_PER_ORDER
  await enqueue(
    tx,
    outbox,
    paymentEvent(deps, 'payment.failed', {
      id: payment.id,
      orderId: payment.orderId,
      reason: decline.message,
      ...(tooManyDeclines && { tooManyDeclines }),
    }),
  )
  return failed as Payment
}
