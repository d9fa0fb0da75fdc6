import type { EventHandler } from '@twtix/common'
import { cancelOrder } from '../commands/cancel-order.ts'
import { recordPaymentFailure } from '../commands/record-payment-failure.ts'
import type { Deps } from '../deps.ts'
import { unknownOrderIsPoison } from './poison.ts'

export function onPaymentFailed(deps: Deps): EventHandler<'payment.failed'> {
  return async (tx, event) => {
    const { orderId, reason } = event.data
    const noted = await unknownOrderIsPoison(
      recordPaymentFailure(tx, { orderId, reason, at: new Date(event.occurredAt) }),
    )
    deps.logger.info('payment failed', { orderId, noted })
    // Card testing: payments allows an order only so many declines, and says when it was the last.
    if (event.data.tooManyDeclines) {
      await cancelOrder(deps, tx, { orderId, correlationId: event.correlationId })
    }
  }
}
