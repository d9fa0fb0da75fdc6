import { type Placeholder, type SQL, sql } from 'drizzle-orm'
import { type EventRow, events, tickets } from '../db/schema.ts'

/** Statuses whose listings may still sell (a postponed event keeps its tickets). */
export const SELLING_STATUSES = ['scheduled', 'postponed'] as const

/** Whether an event's listings may be shown and ordered at `now`: sales stop at its start. */
export function isOnSale(event: Pick<EventRow, 'status' | 'startsAt'>, now: Date): boolean {
  return (
    (SELLING_STATUSES as readonly string[]).includes(event.status) &&
    event.startsAt.getTime() > now.getTime()
  )
}

/**
 * The listing filter: a ticket without an event, or one whose event is on sale at `now`.
 * Evaluated per row against the event's primary key, so the listing keeps reading its index in
 * order.
 */
export function onSaleFilter(now: Date | Placeholder): SQL {
  return sql`(${tickets.eventId} is null or exists (select 1 from ${events} where ${events.id} = ${tickets.eventId} and ${events.status} in ('scheduled', 'postponed') and ${events.startsAt} > ${sql.param(now, events.startsAt)}))`
}
