import { builtOncePer, type Db } from '@twtix/common'
import { and, inArray, type Placeholder, type SQL, sql } from 'drizzle-orm'
import { tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Ticket, toTicket } from '../views.ts'
import { type Cursor, encodeCursor } from './cursor.ts'
import { onSaleFilter } from './on-sale.ts'

export type TicketPage = { tickets: Ticket[]; next?: string }

type Value<T> = T | Placeholder

/**
 * The listing's query: unsold tickets, newest first, after a position. It is read straight from
 * tickets_unsold_listing_idx, with no sort, however many tickets are listed: the order is the
 * index's own (`desc nulls last`: a plain `desc` means `nulls first` and would need a sort of
 * every unsold ticket), and the position is a row comparison the index can seek to. Tickets of
 * an event that has started (or is cancelled or finished) at `now` are left out.
 */
export function listingQuery(
  db: Db,
  options: {
    limit: Value<number>
    now: Value<Date>
    after?: { createdAt: Value<Date>; id: Value<string> }
  },
) {
  const { limit, after, now } = options
  const unsold = inArray(tickets.status, ['available', 'reserved'])
  const position: SQL | undefined = after
    ? sql`(${tickets.createdAt}, ${tickets.id}) < (${sql.param(after.createdAt, tickets.createdAt)}, ${sql.param(after.id, tickets.id)})`
    : undefined
  return db
    .select()
    .from(tickets)
    .where(and(unsold, onSaleFilter(now), position))
    .orderBy(sql`${tickets.createdAt} desc nulls last`, sql`${tickets.id} desc nulls last`)
    .limit(limit)
}

function prepare(db: Db) {
  const limit = sql.placeholder('limit')
  const now = sql.placeholder('now')
  const after = { createdAt: sql.placeholder('createdAt'), id: sql.placeholder('id') }
  return {
    first: listingQuery(db, { limit, now }).prepare('tickets_listing_first'),
    after: listingQuery(db, { limit, now, after }).prepare('tickets_listing_after'),
  }
}

// Built once per database: the listing is the busiest read, and building its SQL for every
// request cost more than running it.
const prepared = builtOncePer(prepare)

/**
 * Unsold tickets, newest first, one page after `cursor`. Ordering by (created_at, id) keeps
 * pages stable when tickets share a timestamp.
 */
export async function listTickets(
  deps: Pick<Deps, 'db' | 'clock'>,
  options: { limit: number; cursor?: Cursor },
): Promise<TicketPage> {
  const { limit, cursor } = options
  const statements = prepared(deps.db)
  const rows = cursor
    ? await statements.after.execute({
        limit: limit + 1,
        now: deps.clock(),
        createdAt: cursor.createdAt,
        id: cursor.id,
      })
    : await statements.first.execute({ limit: limit + 1, now: deps.clock() })
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  const next = rows.length > limit && last ? encodeCursor(last) : undefined
  return { tickets: page.map(toTicket), next }
}
