import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import { events, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Ticket, toTicket } from '../views.ts'
import { isOnSale } from './on-sale.ts'
import { encodePriceCursor, type PriceCursor } from './price-cursor.ts'

/**
 * An event's unsold listings, cheapest first (the id breaks ties), a page after `cursor`, read
 * from tickets_event_listing_idx. None once the event has started, finished or is cancelled:
 * sales stop at its start. Unknown event: undefined.
 */
export async function listEventTickets(
  deps: Pick<Deps, 'db' | 'clock'>,
  options: { eventId: string; limit: number; cursor?: PriceCursor },
): Promise<{ tickets: Ticket[]; next?: string } | undefined> {
  const [event] = await deps.db.select().from(events).where(eq(events.id, options.eventId))
  if (!event) return undefined
  if (!isOnSale(event, deps.clock())) return { tickets: [] }
  const { cursor, limit } = options
  const position: SQL | undefined = cursor
    ? sql`(${tickets.price}, ${tickets.id}) > (${cursor.price}, ${sql.param(cursor.id, tickets.id)})`
    : undefined
  const rows = await deps.db
    .select()
    .from(tickets)
    .where(
      and(
        eq(tickets.eventId, event.id),
        inArray(tickets.status, ['available', 'reserved']),
        position,
      ),
    )
    .orderBy(asc(tickets.price), asc(tickets.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  const next = rows.length > limit && last ? encodePriceCursor(last) : undefined
  return { tickets: page.map(toTicket), next }
}
