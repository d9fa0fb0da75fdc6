import type { EventHandler } from '@twtix/common'
import { applyEvent } from '../commands/apply-event.ts'
import { cancelEventOrders } from '../commands/cancel-event-orders.ts'
import type { Deps } from '../deps.ts'

/**
 * An event changed: the replica takes its status and times (a postponement moves the claim
 * window); the version that cancels it also cancels its open orders, and no new ones are taken.
 */
export function onEventUpdated(deps: Deps): EventHandler<'event.updated'> {
  return async (tx, event) => {
    const outcome = await applyEvent(tx, event.data)
    const cancelled =
      outcome === 'cancelled'
        ? await cancelEventOrders(deps, tx, {
            eventId: event.data.id,
            correlationId: event.correlationId ?? event.id,
          })
        : 0
    deps.logger.info('event replica', {
      eventId: event.data.id,
      version: event.data.version,
      outcome,
      ordersCancelled: cancelled,
    })
  }
}
