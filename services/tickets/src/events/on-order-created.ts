import type { EventHandler } from '@twtix/common'
import { reserveTicket } from '../commands/reserve-ticket.ts'
import { recordOrder } from '../delivery/record-order.ts'
import type { Deps } from '../deps.ts'
import { unknownTicket } from './poison.ts'

/**
 * order.created → the order holds the ticket (unless it is sold or a newer order holds it), and
 * its buyer is noted for the delivery.
 */
export function onOrderCreated(deps: Deps): EventHandler<'order.created'> {
  return async (tx, event) => {
    const ticketId = event.data.ticket.id
    const orderId = event.data.id
    // Both statements go out together; the buyer is noted whatever the outcome (a ticket this
    // service does not know rolls the transaction back).
    const [outcome] = await Promise.all([
      reserveTicket(
        deps,
        tx,
        { ticketId, orderId, orderCreatedAt: new Date(event.occurredAt) },
        { correlationId: event.correlationId ?? event.id },
      ),
      recordOrder(tx, { orderId, ticketId, buyerId: event.data.userId, at: deps.clock() }),
    ])
    if (outcome === 'unknown-ticket') throw unknownTicket(event, ticketId)
  }
}
