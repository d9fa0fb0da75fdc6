import type { EventHandler } from '@twtix/common'
import { recordRefund } from '../commands/record-refund.ts'
import type { Deps } from '../deps.ts'
import { unknownOrderIsPoison } from './poison.ts'

export function onPaymentRefunded(deps: Deps): EventHandler<'payment.refunded'> {
  return async (tx, event) => {
    const { orderId } = event.data
    await unknownOrderIsPoison(recordRefund(tx, { orderId, at: new Date(event.occurredAt) }))
    deps.logger.info('payment refunded', { orderId, paymentId: event.data.id })
  }
}
