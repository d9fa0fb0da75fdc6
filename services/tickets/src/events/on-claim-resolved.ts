import type { EventHandler } from '@twtix/common'
import { endOrder } from '../delivery/record-order.ts'
import type { Deps } from '../deps.ts'

/**
 * claim.resolved with `refund` → the buyer is refunded, so they lose access to the delivery and no
 * deadline is left for that order. The ticket stays sold: it was judged invalid or undelivered, so
 * it is not put back on sale. `release` changes nothing here.
 */
export function onClaimResolved(deps: Deps): EventHandler<'claim.resolved'> {
  return async (tx, event) => {
    if (event.data.outcome !== 'refund') return
    await endOrder(tx, { orderId: event.data.orderId, to: 'refunded', at: deps.clock() })
  }
}
