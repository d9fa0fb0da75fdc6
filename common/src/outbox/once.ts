import { sql } from 'drizzle-orm'
import { builtOncePer, statement } from '../db/statement.ts'
import { type Db, rowsOf } from '../db/types.ts'
import type { ProcessedEventsTable } from './tables.ts'

const p = (name: string) => sql.placeholder(name)

/**
 * The insert recording that a consumer applied one event, returning its id the first time only.
 * Its placeholders, `recordedFor` (the consumer) and `recordedEvent`, keep apart from the names an
 * atOnce handler's statement uses beside it.
 */
export function recordEvent(table: ProcessedEventsTable) {
  return sql`
    insert into ${table} (${sql.identifier(table.consumer.name)},
      ${sql.identifier(table.eventId.name)})
    values (${p('recordedFor')}, ${p('recordedEvent')}::uuid)
    on conflict do nothing
    returning ${sql.identifier(table.eventId.name)} as "eventId"`
}

// Built once per table, not per event: every event a consumer applies runs one of them.
const statementsOf = builtOncePer((table: ProcessedEventsTable) => ({
  one: statement(recordEvent(table)),
  // The ids as one array literal: one statement whatever their number.
  each: statement(sql`
    insert into ${table} (${sql.identifier(table.consumer.name)},
      ${sql.identifier(table.eventId.name)})
    select ${p('consumer')}, unnest(${p('eventIds')}::uuid[])
    on conflict do nothing
    returning ${sql.identifier(table.eventId.name)} as "eventId"`),
}))

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
  const inserted = rowsOf(
    await statementsOf(table).one(tx, { recordedFor: consumer, recordedEvent: eventId }),
  )
  return inserted.length === 1
}

/**
 * `once` for several events in one statement: the ids recorded now, i.e. those `consumer` had not
 * applied before. Pass distinct ids (envelope ids: UUIDs).
 */
export async function onceEach(
  tx: Db,
  table: ProcessedEventsTable,
  consumer: string,
  eventIds: string[],
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set()
  const inserted = rowsOf<{ eventId: string }>(
    await statementsOf(table).each(tx, { consumer, eventIds: `{${eventIds.join(',')}}` }),
  )
  return new Set(inserted.map((r) => r.eventId))
}
