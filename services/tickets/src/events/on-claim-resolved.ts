import type { EventHandler } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { deliveryDeadlines } from '../db/schema.ts'
import { moveOrder } from '../delivery/record-order.ts'
import type { Deps } from '../deps.ts'

/**
 * claim.resolved with `refund` → the buyer is refunded, so they lose access to the delivery and no
 * deadline is left for that order. The ticket stays sold: it was judged invalid or undelivered, so
 * it is not put back on sale. `release` changes nothing here.
 */
export function onClaimResolved(deps: Deps): EventHandler<'claim.resolved'> {
  return async (tx, event) => {
    if (event.data.outcome !== 'refund') return
    const orderId = event.data.orderId
    await moveOrder(tx, { orderId, from: ['created', 'paid'], to: 'refunded', at: deps.clock() })
    await tx.db.delete(deliveryDeadlines).where(eq(deliveryDeadlines.orderId, orderId))
  }
}
