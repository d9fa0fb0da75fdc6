import { BadRequestError, ForbiddenError, NotFoundError, type Tx } from '@twtix/common'
import type { Deps } from '../deps.ts'
import { type Ticket, toTicket } from '../views.ts'
import { changeTicket, lockTicket } from './change-ticket.ts'
import { checkPriceCap } from './price-cap.ts'

export type UpdateTicketInput = { id: string; userId: string; title?: string; price?: number }

/** The seller edits title and/or price; never while an order holds the ticket or once sold. */
export async function updateTicket(
  deps: Deps,
  tx: Tx,
  input: UpdateTicketInput,
  meta: { correlationId?: string } = {},
): Promise<Ticket> {
  const current = await lockTicket(tx, input.id)
  if (!current) throw new NotFoundError('Ticket not found')
  if (current.userId !== input.userId) throw new ForbiddenError('You do not own this ticket')
  if (current.status === 'reserved') throw new BadRequestError('Cannot edit a reserved ticket')
  if (current.status === 'sold') throw new BadRequestError('Cannot edit a sold ticket')
  // The face value stays as listed: the cap holds for every later price.
  if (input.price !== undefined) {
    checkPriceCap(input.price, current.faceValue, deps.config.RESALE_PRICE_CAP)
  }
  const change: { title?: string; price?: number } = {}
  if (input.title !== undefined) change.title = input.title
  if (input.price !== undefined) change.price = input.price
  const row = await changeTicket(deps, tx, current, change, meta)
  deps.logger.info('ticket updated', { ticketId: row.id, version: row.version })
  return toTicket(row)
}
