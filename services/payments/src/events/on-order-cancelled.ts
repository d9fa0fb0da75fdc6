import type { EventHandler } from '@twtix/common'
import { recordOrderCancelled } from '../commands/record-order-cancelled.ts'
import type { Deps } from '../deps.ts'

export function onOrderCancelled(deps: Deps): EventHandler<'order.cancelled'> {
  return async (tx, event) => {
    await recordOrderCancelled(deps, tx, event.data)
  }
}
