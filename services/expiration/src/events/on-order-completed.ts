import type { EventHandler } from '@twtix/common'
import { cancelExpiration } from '../commands/cancel-expiration.ts'
import type { Deps } from '../deps.ts'

/** A paid order must never expire: drop its due row. */
export function onOrderCompleted(_deps: Deps): EventHandler<'order.completed'> {
  return async (tx, event) => {
    await cancelExpiration(tx, event.data.id)
  }
}
