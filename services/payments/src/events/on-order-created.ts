import type { EventHandler } from '@twtix/common'
import { recordOrder } from '../commands/record-order.ts'
import type { Deps } from '../deps.ts'

export function onOrderCreated(_deps: Deps): EventHandler<'order.created'> {
  return async (tx, event) => {
    await recordOrder(tx, event.data)
  }
}
