import type { EventHandler } from '@twtix/common'
import { recordOrderCreated } from '../commands/record-order-created.ts'
import type { Deps } from '../deps.ts'

export function onOrderCreated(_deps: Deps): EventHandler<'order.created'> {
  return async (tx, event) => {
    await recordOrderCreated(tx, event.data)
  }
}
