import type { EventHandler } from '@twtix/common'
import { completeOrder } from '../commands/complete-order.ts'
import type { Deps } from '../deps.ts'

export function onOrderCompleted(_deps: Deps): EventHandler<'order.completed'> {
  return async (tx, event) => {
    await completeOrder(tx, event.data)
  }
}
