import {
  type AtOnceOutcome,
  builtOncePer,
  type Db,
  type Envelope,
  isUniqueViolation,
  notRecorded,
  type ProcessedEventsTable,
  placeholderFor,
  recordFrom,
  rowsOf,
  rowValues,
  statement,
} from '@twtix/common'
import { getTableColumns, sql } from 'drizzle-orm'
import { tickets } from '../db/schema.ts'
import { type ReplicaKey, replicaColumns, replicaValues } from './apply-ticket.ts'

const columns = getTableColumns(tickets)
const set = replicaColumns((key) => placeholderFor(key, columns[key]))

/**
 * The replica's row set to the event's state, and the event's record, both written only if the
 * replica is exactly one version behind and the event was not recorded. The record is written
 * from the update, never beside it, and without ON CONFLICT: a record committed meanwhile fails
 * the whole statement. Placeholders: the row by its keys (`rowValues`), and the record's.
 */
const updateStatement = builtOncePer((processed: ProcessedEventsTable) =>
  statement(sql`
    with updated as (
      update ${tickets} set ${sql.join(
        Object.entries(set)
          .filter(([key]) => key !== 'id')
          .map(
            ([key, value]) => sql`${sql.identifier(columns[key as ReplicaKey].name)} = ${value}`,
          ),
        sql`, `,
      )}
      where ${tickets.id} = ${set.id}
        and ${tickets.version} = ${set.version} - 1
        and ${notRecorded(processed)}
      returning ${tickets.id}),
    recorded as (${recordFrom(processed, sql`updated`)})
    select count(*)::int as applied from updated`),
)

/**
 * ticket.updated for a message that comes alone, without a transaction: the next version of a
 * ticket the replica has is applied with its record in one statement (one round trip where the
 * transaction took four). Anything else (a duplicate, a version gap, a ticket the replica has not
 * seen, an event recorded meanwhile) writes nothing here: the consumer then applies the event in
 * a transaction, which tells them apart.
 */
export async function updateTicketAtOnce(
  db: Db,
  processed: ProcessedEventsTable,
  group: string,
  event: Envelope<'ticket.updated'>,
): Promise<AtOnceOutcome> {
  try {
    const [row] = rowsOf<{ applied: number }>(
      await updateStatement(processed)(db, {
        ...rowValues(tickets, replicaValues(event.data)),
        recordedFor: group,
        recordedEvent: event.id,
      }),
    )
    return row?.applied === 1 ? 'applied' : 'transaction'
  } catch (err) {
    // Recorded by another member of the group meanwhile: the transaction tells.
    if (isUniqueViolation(err)) return 'transaction'
    throw err
  }
}
