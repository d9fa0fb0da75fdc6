import type { EventHandler } from '@twtix/common'
import { updateTicket } from '../commands/apply-ticket.ts'
import type { Deps } from '../deps.ts'

export function onTicketUpdated(deps: Deps): EventHandler<'ticket.updated'> {
  return async (tx, event) => {
    const outcome = await updateTicket(tx, event.data)
    deps.logger.debug('ticket replica', {
      ticketId: event.data.id,
      version: event.data.version,
      outcome,
    })
  }
}
