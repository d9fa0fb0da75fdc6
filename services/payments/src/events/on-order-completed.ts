import type { EventHandler } from '@twtix/common'
import { recordOrderCompleted } from '../commands/record-order-completed.ts'
import type { Deps } from '../deps.ts'

export function onOrderCompleted(_deps: Deps): EventHandler<'order.completed'> {
  return async (tx, event) => {
    await recordOrderCompleted(tx, event.data)
  }
}
