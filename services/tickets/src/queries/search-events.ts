import { and, asc, eq, gte, ilike, lt, type SQL, sql } from 'drizzle-orm'
import { events } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Event, toEvent } from '../views.ts'
import { type Cursor, encodeCursor } from './cursor.ts'
import { containsPattern, fold } from './fold.ts'

export type EventSearch = {
  q?: string
  city?: string
  from?: Date
  to?: Date
  limit: number
  /** The last event of the previous page: its start and id (as `createdAt` in the cursor). */
  cursor?: Cursor
}

/**
 * Events by start, soonest first, from `from` (now by default) until before `to`. Each word of
 * `q` must appear in the folded name, venue or city: ILIKE on folded text, which PGlite runs as
 * PostgreSQL does with no extension (pg_trgm would need one), and which finds words inside
 * Japanese names that full-text search would not split out. A scan of the upcoming events,
 * which are few beside the tickets.
 */
export async function searchEvents(
  deps: Pick<Deps, 'db' | 'clock'>,
  search: EventSearch,
): Promise<{ events: Event[]; next?: string }> {
  const conditions: (SQL | undefined)[] = [gte(events.startsAt, search.from ?? deps.clock())]
  if (search.to) conditions.push(lt(events.startsAt, search.to))
  if (search.city) conditions.push(eq(events.cityKey, fold(search.city)))
  const haystack = sql`(${events.nameKey} || ' ' || ${events.venueKey} || ' ' || ${events.cityKey})`
  for (const word of fold(search.q ?? '').split(' ')) {
    if (word) conditions.push(ilike(haystack, containsPattern(word)))
  }
  if (search.cursor) {
    conditions.push(
      sql`(${events.startsAt}, ${events.id}) > (${sql.param(search.cursor.createdAt, events.startsAt)}, ${sql.param(search.cursor.id, events.id)})`,
    )
  }
  const rows = await deps.db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(search.limit + 1)
  const page = rows.slice(0, search.limit)
  const last = page[page.length - 1]
  const next =
    rows.length > search.limit && last
      ? encodeCursor({ createdAt: last.startsAt, id: last.id })
      : undefined
  const now = deps.clock()
  return { events: page.map((row) => toEvent(row, now)), next }
}
