import type { EventHandler } from '@twtix/common'
import { cancelExpiration } from '../commands/cancel-expiration.ts'
import type { Deps } from '../deps.ts'

/** A cancelled order no longer holds its ticket: nothing left to expire. */
export function onOrderCancelled(_deps: Deps): EventHandler<'order.cancelled'> {
  return async (tx, event) => {
    await cancelExpiration(tx, event.data.id)
  }
}
