import { getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import { builtOncePer, placeholderFor, statement } from '../db/statement.ts'
import { type Db, rowsOf } from '../db/types.ts'
import type { Subject } from '../events/catalogue.ts'
import type { Envelope } from '../events/envelope.ts'
import type { EventHandler } from './consume.ts'
import { recordEvent } from './once.ts'
import type { ProcessedEventsTable } from './tables.ts'

/**
 * What an atOnce pass did with an event: applied it with its record, found it recorded already
 * (nothing written), or wrote nothing and left it to the handler in a transaction.
 */
export type AtOnceOutcome = 'applied' | 'duplicate' | 'transaction'

/**
 * A handler that can apply a message that comes alone with its processed-event record in one
 * statement, without a transaction: one round trip where BEGIN, the record, the handler's
 * statements and COMMIT took four or more. Called as an EventHandler (in a batch's transaction,
 * whose consumer recorded the event, or after its atOnce pass said `transaction`) it applies the
 * event in that transaction.
 */
export type AtOnceHandler<S extends Subject> = EventHandler<S> & {
  /**
   * Records the event for `group` in the consumer's `processed` table and applies it, both or
   * neither.
   */
  readonly atOnce: (
    db: Db,
    processed: ProcessedEventsTable,
    group: string,
    event: Envelope<S>,
  ) => Promise<AtOnceOutcome>
}

const p = (name: string) => sql.placeholder(name)
const recorded = sql`${sql.identifier('recorded')}`

function recordingStatement(processed: ProcessedEventsTable, write: SQL) {
  return statement(sql`
    with ${recorded} as (${recordEvent(processed)}),
    applied as (${write})
    select exists (select 1 from ${recorded}) as fresh`)
}

/**
 * Makes an AtOnceHandler whose whole effect, whatever the event holds, is one statement writing
 * no event (its atOnce pass never says `transaction`). `write(recorded)` is that statement: it
 * writes from `recorded`, a relation with one row when the event is new to the group and none
 * for a duplicate (`insert … select … from ${recorded}`). Its values are named with `sql.placeholder`
 * and given by `values` as the driver takes them (a timestamp as ISO text). Its SQL is built
 * once, here and once per processed-events table.
 */
export function atOnce<S extends Subject>(o: {
  write: (recorded: SQL) => SQL
  values: (event: Envelope<S>) => Record<string, unknown>
}): AtOnceHandler<S> {
  const write = o.write(recorded)
  const recordedAlready = statement(sql`
    with ${recorded} as (select 1), applied as (${write}) select true as fresh`)
  const recordingIn = builtOncePer((processed: ProcessedEventsTable) =>
    recordingStatement(processed, write),
  )
  const handler: EventHandler<S> = async (tx, event) => {
    await recordedAlready(tx.db, o.values(event))
  }
  return Object.assign(handler, {
    async atOnce(db: Db, processed: ProcessedEventsTable, group: string, event: Envelope<S>) {
      const run = recordingIn(processed)
      const values = { ...o.values(event), recordedFor: group, recordedEvent: event.id }
      const [row] = rowsOf<{ fresh: boolean }>(await run(db, values))
      return row?.fresh === true ? 'applied' : 'duplicate'
    },
  })
}

/**
 * For a statement that applies an event at once through an update whose outcome it decided
 * from an earlier read: the update's guard that the group (`recordedFor`) has not recorded the
 * event (`recordedEvent`), and `recordFrom`, the record written from the update's rows.
 */
export function notRecorded(processed: ProcessedEventsTable): SQL {
  return sql`not exists (select 1 from ${processed}
    where ${processed.consumer} = ${p('recordedFor')}
      and ${processed.eventId} = ${p('recordedEvent')}::uuid)`
}

/**
 * The event's record, written once for each row of `from` (the update's): never beside the
 * update, and without ON CONFLICT, so a record committed since the statement's snapshot fails
 * the whole statement (a unique violation; the consumer's transaction then decides).
 */
export function recordFrom(processed: ProcessedEventsTable, from: SQL): SQL {
  return sql`insert into ${processed} (${sql.identifier(processed.consumer.name)},
      ${sql.identifier(processed.eventId.name)})
    select ${p('recordedFor')}, ${p('recordedEvent')}::uuid from ${from}`
}

/** Whether a subscription's handler can be applied at once. */
export function isAtOnce<S extends Subject>(handler: EventHandler<S>): handler is AtOnceHandler<S> {
  return typeof (handler as Partial<AtOnceHandler<S>>).atOnce === 'function'
}

/**
 * An atOnce write of one whole row of `table`, each column from the placeholder of its key:
 * written from `recorded`, and not when the row's key is there already (a second event for it).
 */
export function insertRow(table: PgTable): (recorded: SQL) => SQL {
  const columns = Object.entries(getTableColumns(table))
  return (recorded) => sql`
    insert into ${table} (${sql.join(
      columns.map(([, column]) => sql.identifier(column.name)),
      sql`, `,
    )})
    select ${sql.join(
      columns.map(([key, column]) => placeholderFor(key, column)),
      sql`, `,
    )}
    from ${recorded}
    on conflict do nothing`
}
