import type { Db } from '../db/types.ts'
import type { ProcessedEventsTable } from './tables.ts'

/**
 * Records that `consumer` applied `eventId`; true the first time, false for a duplicate. Call it
 * first in the handler's transaction so the record and the writes commit or roll back together.
 */
export async function once(
  tx: Db,
  table: ProcessedEventsTable,
  consumer: string,
  eventId: string,
): Promise<boolean> {
  const inserted = await tx
    .insert(table)
    .values({ consumer, eventId })
    .onConflictDoNothing()
    .returning({ eventId: table.eventId })
  return inserted.length === 1
}

/**
 * `once` for several events in one statement: the ids recorded now, i.e. those `consumer` had not
 * applied before. Pass distinct ids.
 */
export async function onceEach(
  tx: Db,
  table: ProcessedEventsTable,
  consumer: string,
  eventIds: string[],
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set()
  const inserted = await tx
    .insert(table)
    .values(eventIds.map((eventId) => ({ consumer, eventId })))
    .onConflictDoNothing()
    .returning({ eventId: table.eventId })
  return new Set(inserted.map((r) => r.eventId))
}
