import type { EventHandler } from '@twtix/common'
import { recordOrder } from '../commands/record-order.ts'
import type { Deps } from '../deps.ts'

export function onOrderCreated(deps: Deps): EventHandler<'order.created'> {
  return async (tx, event) => {
    await recordOrder({ ...deps, db: tx }, event.data)
  }
}
