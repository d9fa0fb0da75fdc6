import type { EventHandler } from '@twtix/common'
import { insertTicket } from '../commands/apply-ticket.ts'
import type { Deps } from '../deps.ts'

export function onTicketCreated(deps: Deps): EventHandler<'ticket.created'> {
  return async (tx, event) => {
    const outcome = await insertTicket(tx, event.data)
    deps.logger.debug('ticket replica', { ticketId: event.data.id, outcome })
  }
}
