import { and, desc, eq, inArray, lt, or } from 'drizzle-orm'
import { tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Ticket, toTicket } from '../ticket.ts'
import { type Cursor, encodeCursor } from './cursor.ts'

export type TicketPage = { tickets: Ticket[]; next?: string }

/**
 * Unsold tickets, newest first, one page after `cursor`. Ordering by (created_at, id) keeps
 * pages stable when tickets share a timestamp; it matches tickets_unsold_listing_idx.
 */
export async function listTickets(
  deps: Pick<Deps, 'db'>,
  options: { limit: number; cursor?: Cursor },
): Promise<TicketPage> {
  const { limit, cursor } = options
  const unsold = inArray(tickets.status, ['available', 'reserved'])
  const after = cursor
    ? or(
        lt(tickets.createdAt, cursor.createdAt),
        and(eq(tickets.createdAt, cursor.createdAt), lt(tickets.id, cursor.id)),
      )
    : undefined
  const rows = await deps.db
    .select()
    .from(tickets)
    .where(and(unsold, after))
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  const next = rows.length > limit && last ? encodeCursor(last) : undefined
  return { tickets: page.map(toTicket), next }
}
