import type { EventHandler } from '@twtix/common'
import { cancelOrder } from '../commands/cancel-order.ts'
import type { Deps } from '../deps.ts'
import { unknownOrderIsPoison } from './poison.ts'

/** An unpaid hold ran out: cancel the order unless it was paid or cancelled meanwhile. */
export function onExpirationCompleted(deps: Deps): EventHandler<'expiration.completed'> {
  return async (tx, event) => {
    const outcome = await unknownOrderIsPoison(
      cancelOrder(deps, tx, {
        orderId: event.data.orderId,
        correlationId: event.correlationId ?? event.id,
      }),
    )
    deps.logger.info('order expired', { orderId: event.data.orderId, outcome })
  }
}
