import type { EventHandler } from '@twtix/common'
import { scheduleExpiration } from '../commands/schedule-expiration.ts'
import type { Deps } from '../deps.ts'

/** A new order holds its ticket until `expiresAt`: schedule its expiry. */
export function onOrderCreated(deps: Deps): EventHandler<'order.created'> {
  return async (tx, event) => {
    const { id, expiresAt } = event.data
    await scheduleExpiration(deps, tx, { orderId: id, dueAt: new Date(expiresAt) })
  }
}
