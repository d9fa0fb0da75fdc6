import type { AtOnceHandler, Envelope, EventHandler } from '@twtix/common'
import { updateTicket } from '../commands/apply-ticket.ts'
import { updateTicketAtOnce } from '../commands/update-ticket-at-once.ts'
import type { Deps } from '../deps.ts'

/**
 * ticket.updated → the replica takes the ticket's next version. A message that comes alone and
 * is that next version is applied without a transaction (update-ticket-at-once.ts); any other is
 * applied in one, which tells a duplicate from a gap.
 */
export function onTicketUpdated(deps: Deps): AtOnceHandler<'ticket.updated'> {
  const logged = (event: Envelope<'ticket.updated'>, outcome: string) =>
    deps.logger.debug('ticket replica', {
      ticketId: event.data.id,
      version: event.data.version,
      outcome,
    })
  const inTransaction: EventHandler<'ticket.updated'> = async (tx, event) => {
    logged(event, await updateTicket(tx, event.data))
  }
  const atOnce: AtOnceHandler<'ticket.updated'>['atOnce'] = async (db, processed, group, event) => {
    const outcome = await updateTicketAtOnce(db, processed, group, event)
    if (outcome === 'applied') logged(event, outcome)
    return outcome
  }
  return Object.assign(inTransaction, { atOnce })
}
