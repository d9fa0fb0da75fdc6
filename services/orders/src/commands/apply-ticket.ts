import { type EventData, RetryLaterError, type Tx } from '@twtix/common'
import { and, eq } from 'drizzle-orm'
import { tickets } from '../db/schema.ts'

type TicketState = EventData<'ticket.updated'>

/** The replica's row for a ticket event: the columns it keeps, nothing else of the event. */
function replicaRow(data: TicketState) {
  return {
    id: data.id,
    title: data.title,
    price: data.price,
    userId: data.userId,
    status: data.status,
    orderId: data.orderId,
    version: data.version,
    eventStartsAt: data.eventStartsAt ? new Date(data.eventStartsAt) : null,
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
