import type { EventHandler } from '@twtix/common'
import { completeOrder } from '../commands/complete-order.ts'
import type { Deps } from '../deps.ts'
import { unknownOrderIsPoison } from './poison.ts'

export function onPaymentSucceeded(deps: Deps): EventHandler<'payment.succeeded'> {
  return async (tx, event) => {
    const { orderId } = event.data
    const outcome = await unknownOrderIsPoison(
      completeOrder(deps, tx, { orderId, correlationId: event.correlationId ?? event.id }),
    )
    // payments refunds a charge for an order that was cancelled first; nothing to do here.
    if (outcome === 'cancelled') {
      deps.logger.warn('payment succeeded for a cancelled order; payments refunds it', {
        orderId,
        paymentId: event.data.id,
      })
    }
  }
}
