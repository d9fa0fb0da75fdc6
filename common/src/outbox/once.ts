import { sql } from 'drizzle-orm'
import { statement } from '../db/statement.ts'
import { type Db, rowsOf } from '../db/types.ts'
import type { ProcessedEventsTable } from './tables.ts'

const p = (name: string) => sql.placeholder(name)

function prepareStatements(table: ProcessedEventsTable) {
  const consumer = sql.identifier(table.consumer.name)
  const eventId = sql.identifier(table.eventId.name)
  return {
    one: statement(sql`
      insert into ${table} (${consumer}, ${eventId}) values (${p('consumer')}, ${p('eventId')})
      on conflict do nothing
      returning ${eventId} as "eventId"`),
    // The ids as one array literal: one statement whatever their number.
    each: statement(sql`
      insert into ${table} (${consumer}, ${eventId})
      select ${p('consumer')}, unnest(${p('eventIds')}::uuid[])
      on conflict do nothing
      returning ${eventId} as "eventId"`),
  }
}

// Built once per table, not per event: every event a consumer applies runs one of them.
const statements = new WeakMap<ProcessedEventsTable, ReturnType<typeof prepareStatements>>()

function statementsOf(table: ProcessedEventsTable) {
  const built = statements.get(table) ?? prepareStatements(table)
  statements.set(table, built)
  return built
}

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
  const inserted = rowsOf(await statementsOf(table).one(tx, { consumer, eventId }))
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
