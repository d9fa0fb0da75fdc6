import { type EventData, RetryLaterError, type Tx } from '@twtix/common'
import { and, eq, getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { events, tickets } from '../db/schema.ts'

type TicketState = EventData<'ticket.updated'>

const columns = getTableColumns(tickets)
export type ReplicaKey = keyof typeof columns

/**
 * The replica's columns for a ticket event, each as `value` gives it (a parameter, or a
 * statement's placeholder), except its event's times: those the events replica has, when it
 * knows the event, win over the ticket event's copies. A ticket event written before a
 * postponement may arrive after the event.updated that moved it.
 */
export function replicaColumns(value: (key: ReplicaKey) => SQL): Record<ReplicaKey, SQL> {
  const eventId = value('eventId')
  const time = (column: PgColumn, carried: SQL) => {
    const known = sql`exists (select 1 from ${events} where ${events.id} = ${eventId})`
    const replica = sql`(select ${column} from ${events} where ${events.id} = ${eventId})`
    return sql`case when ${known} then ${replica} else ${carried} end`
  }
  const keys = Object.keys(columns) as ReplicaKey[]
  return Object.fromEntries(
    keys.map((key) => [
      key,
      key === 'eventStartsAt'
        ? time(events.startsAt, value(key))
        : key === 'eventEndsAt'
          ? time(events.endsAt, value(key))
          : value(key),
    ]),
  ) as Record<ReplicaKey, SQL>
}

/** The replica's row for a ticket event as the event carried it: the columns it keeps. */
export function replicaValues(data: TicketState): typeof tickets.$inferInsert {
  return {
    id: data.id,
    title: data.title,
    price: data.price,
    userId: data.userId,
    status: data.status,
    orderId: data.orderId,
    version: data.version,
    eventId: data.eventId ?? null,
    eventStartsAt: data.eventStartsAt ? new Date(data.eventStartsAt) : null,
    eventEndsAt: data.eventEndsAt ? new Date(data.eventEndsAt) : null,
  }
}

/** The replica's row for a ticket event, its values as parameters. */
function replicaRow(data: TicketState) {
  const row = replicaValues(data)
  return replicaColumns((key) => sql`${sql.param(row[key] ?? null, columns[key])}`)
}

/** What applying a ticket event did to the replica. */
export type ApplyOutcome = 'applied' | 'duplicate'

/** Inserts a ticket the replica has not seen; a ticket it already has is a duplicate. */
export async function insertTicket(tx: Tx, data: TicketState): Promise<ApplyOutcome> {
  const inserted = await tx.db
    .insert(tickets)
    .values(replicaRow(data))
    .onConflictDoNothing()
    .returning({ id: tickets.id })
  return inserted.length > 0 ? 'applied' : 'duplicate'
}

/**
 * Applies a ticket's new state only when it is exactly one version ahead of the replica.
 * Older or equal versions are duplicates; a gap (or an unknown ticket) means an earlier event
 * has not arrived yet, so the bus retries this one later.
 */
export async function updateTicket(tx: Tx, data: TicketState): Promise<ApplyOutcome> {
  const { id: _id, ...state } = replicaRow(data)
  const { id } = data
  const updated = await tx.db
    .update(tickets)
    .set(state)
    .where(and(eq(tickets.id, id), eq(tickets.version, data.version - 1)))
    .returning({ id: tickets.id })
  if (updated.length > 0) return 'applied'
  const [local] = await tx.db
    .select({ version: tickets.version })
    .from(tickets)
    .where(eq(tickets.id, id))
  if (!local) throw new RetryLaterError(`ticket ${id} not in the replica yet`)
  if (data.version <= local.version) return 'duplicate'
  throw new RetryLaterError(`ticket ${id}: version ${data.version} after ${local.version}`)
}
