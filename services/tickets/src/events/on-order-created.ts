import type { EventHandler } from '@twtix/common'
import { reserveTicket } from '../commands/reserve-ticket.ts'
import type { Deps } from '../deps.ts'
import { unknownTicket } from './poison.ts'

/** order.created → the order holds the ticket (unless it is sold or a newer order holds it). */
export function onOrderCreated(deps: Deps): EventHandler<'order.created'> {
  return async (tx, event) => {
    const ticketId = event.data.ticket.id
    const outcome = await reserveTicket(
      deps,
      tx,
      { ticketId, orderId: event.data.id, orderCreatedAt: new Date(event.occurredAt) },
      { correlationId: event.correlationId ?? event.id },
    )
    if (outcome === 'unknown-ticket') throw unknownTicket(event, ticketId)
  }
}
