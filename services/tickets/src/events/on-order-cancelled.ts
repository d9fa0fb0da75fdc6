import type { EventHandler } from '@twtix/common'
import { releaseTicket } from '../commands/release-ticket.ts'
import { endOrder } from '../delivery/record-order.ts'
import type { Deps } from '../deps.ts'
import { unknownTicket } from './poison.ts'

/** order.cancelled → the ticket is free again, if that order still holds it; its buyer loses access. */
export function onOrderCancelled(deps: Deps): EventHandler<'order.cancelled'> {
  return async (tx, event) => {
    const ticketId = event.data.ticket.id
    const outcome = await releaseTicket(
      deps,
      tx,
      { ticketId, orderId: event.data.id },
      { correlationId: event.correlationId ?? event.id },
    )
    if (outcome === 'unknown-ticket') throw unknownTicket(event, ticketId)
    await endOrder(tx, { orderId: event.data.id, to: 'cancelled', at: deps.clock() })
  }
}
