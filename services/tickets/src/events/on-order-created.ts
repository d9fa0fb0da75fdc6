import type { AtOnceHandler, EventHandler } from '@twtix/common'
import { reserveInput, reserveTicket } from '../commands/reserve-ticket.ts'
import { reserveTicketAtOnce } from '../commands/reserve-ticket-at-once.ts'
import { recordOrder } from '../delivery/record-order.ts'
import type { Deps } from '../deps.ts'
import { unknownTicket } from './poison.ts'

/**
 * order.created → the order holds the ticket (unless it is sold or a newer order holds it), and
 * its buyer is noted for the delivery. A message that comes alone and takes the ticket is applied
 * without a transaction (reserve-ticket-at-once.ts); any other is applied in one.
 */
export function onOrderCreated(deps: Deps): AtOnceHandler<'order.created'> {
  const inTransaction: EventHandler<'order.created'> = async (tx, event) => {
    const input = reserveInput(event)
    // Both statements go out together; the buyer is noted whatever the outcome (a ticket this
    // service does not know rolls the transaction back).
    const [outcome] = await Promise.all([
      reserveTicket(deps, tx, input, { correlationId: event.correlationId ?? event.id }),
      recordOrder(tx, {
        orderId: input.orderId,
        ticketId: input.ticketId,
        buyerId: event.data.userId,
        at: deps.clock(),
      }),
    ])
    if (outcome === 'unknown-ticket') throw unknownTicket(event, input.ticketId)
  }
  const atOnce: AtOnceHandler<'order.created'>['atOnce'] = (db, processed, group, event) =>
    reserveTicketAtOnce(deps, db, processed, group, event)
  return Object.assign(inTransaction, { atOnce })
}
