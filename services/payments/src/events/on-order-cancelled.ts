import type { EventHandler } from '@twtix/common'
import { cancelOrder } from '../commands/cancel-order.ts'
import type { Deps } from '../deps.ts'

export function onOrderCancelled(deps: Deps): EventHandler<'order.cancelled'> {
  return async (tx, event) => {
    await cancelOrder(deps, tx, event.data)
  }
}
