import type { EventHandler } from '@twtix/common'
import { sellTicket } from '../commands/sell-ticket.ts'
import type { Deps } from '../deps.ts'
import { unknownTicket } from './poison.ts'

/** order.completed → the ticket is sold to that order and leaves the listing. */
export function onOrderCompleted(deps: Deps): EventHandler<'order.completed'> {
  return async (tx, event) => {
    const ticketId = event.data.ticket.id
    const outcome = await sellTicket(
      deps,
      tx,
      { ticketId, orderId: event.data.id },
      { correlationId: event.correlationId ?? event.id },
    )
    if (outcome === 'unknown-ticket') throw unknownTicket(event, ticketId)
  }
}
