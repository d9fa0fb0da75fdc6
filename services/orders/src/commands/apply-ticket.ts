import { type EventData, RetryLaterError, type Tx } from '@twtix/common'
import { and, eq, type SQL, type SQLWrapper, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { events, tickets } from '../db/schema.ts'

type TicketState = EventData<'ticket.updated'>

/**
 * An event time as the events replica has it, else as the ticket event carried it: a ticket
 * event written before a postponement may arrive after the event.updated that moved it.
 */
export function eventTime(
  eventId: string | SQLWrapper,
  column: PgColumn,
  carried: SQLWrapper,
): SQL {
  const known = sql`exists (select 1 from ${events} where ${events.id} = ${eventId})`
  const replica = sql`(select ${column} from ${events} where ${events.id} = ${eventId})`
  return sql`case when ${known} then ${replica} else ${carried} end`
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

/** The replica's row for a ticket event, its event's times from the events replica if known. */
function replicaRow(data: TicketState) {
  const row = replicaValues(data)
  const time = (column: PgColumn, carried: Date | null | undefined) =>
    row.eventId ? eventTime(row.eventId, column, sql.param(carried ?? null, column)) : carried
  return {
    ...row,
    eventStartsAt: time(events.startsAt, row.eventStartsAt),
    eventEndsAt: time(events.endsAt, row.eventEndsAt),
  }
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
  const { id, ...state } = replicaRow(data)
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
