import { ForbiddenError, NotFoundError } from '@twtix/common'
import { eq, getTableColumns } from 'drizzle-orm'
import { ticketDeliveries, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Delivery, toDelivery } from './views.ts'

const { content: _bytes, ...described } = getTableColumns(ticketDeliveries)

/** The seller's own view of a ticket's delivery (a file described, not sent back). */
export async function getDelivery(
  deps: Pick<Deps, 'db'>,
  input: { ticketId: string; userId: string },
): Promise<Delivery> {
  const [ticket] = await deps.db
    .select({ userId: tickets.userId })
    .from(tickets)
    .where(eq(tickets.id, input.ticketId))
  if (!ticket) throw new NotFoundError('Ticket not found')
  if (ticket.userId !== input.userId) throw new ForbiddenError('You do not own this ticket')
  const [row] = await deps.db
    .select(described)
    .from(ticketDeliveries)
    .where(eq(ticketDeliveries.ticketId, input.ticketId))
  if (!row) throw new NotFoundError('No delivery details yet: the ticket shows "delivery pending"')
  return toDelivery(row)
}
