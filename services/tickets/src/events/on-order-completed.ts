import type { EventHandler } from '@twtix/common'
import { lockTicket } from '../commands/change-ticket.ts'
import { sellTicket } from '../commands/sell-ticket.ts'
import { moveOrder } from '../delivery/record-order.ts'
import { scheduleDeadline } from '../delivery/schedule-deadline.ts'
import type { Deps } from '../deps.ts'
import { unknownTicket } from './poison.ts'

/**
 * order.completed → the ticket is sold to that order and leaves the listing; its buyer may
 * fetch the delivery, and without one the seller's deadline starts.
 */
export function onOrderCompleted(deps: Deps): EventHandler<'order.completed'> {
  return async (tx, event) => {
    const ticketId = event.data.ticket.id
    const orderId = event.data.id
    const outcome = await sellTicket(
      deps,
      tx,
      { ticketId, orderId },
      { correlationId: event.correlationId ?? event.id },
    )
    if (outcome === 'unknown-ticket') throw unknownTicket(event, ticketId)
    if (outcome === 'sold-to-another') return
    const paid = await moveOrder(tx, { orderId, from: ['created'], to: 'paid', at: deps.clock() })
    if (!paid) return
    const ticket = await lockTicket(tx, ticketId)
    if (ticket) await scheduleDeadline(deps, tx, ticket, orderId)
  }
}
