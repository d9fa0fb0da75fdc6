import type { EventHandler } from '@twtix/common'
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
  }
}
