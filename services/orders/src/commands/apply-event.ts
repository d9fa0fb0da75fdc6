import type { EventData, Tx } from '@twtix/common'
import { eq, lt, sql } from 'drizzle-orm'
import { events, tickets } from '../db/schema.ts'

type EventState = EventData<'event.updated'>

/** What applying an event's state did: `cancelled` when this version is the one that cancelled it. */
export type EventApplyOutcome = 'applied' | 'cancelled' | 'duplicate'

/**
 * Applies an event's whole state when it is newer than the replica's: each event carries the
 * whole state, so a newer version is applied even if one between is missing, and an older or
 * equal one (a redelivery, or one overtaken) is skipped. The event's tickets take its times.
 */
export async function applyEvent(tx: Tx, data: EventState): Promise<EventApplyOutcome> {
  const state = {
    status: data.status,
    startsAt: new Date(data.startsAt),
    endsAt: data.endsAt ? new Date(data.endsAt) : null,
    version: data.version,
  }
  const [previous] = await tx.db
    .select({ status: events.status, version: events.version })
    .from(events)
    .where(eq(events.id, data.id))
    .for('update')
  if (previous && previous.version >= data.version) return 'duplicate'
  const [applied] = await tx.db
    .insert(events)
    .values({ id: data.id, ...state })
    .onConflictDoUpdate({
      target: events.id,
      set: state,
      setWhere: lt(events.version, data.version),
    })
    .returning({ id: events.id })
  // A concurrent delivery of a newer version won between the read and the write.
  if (!applied) return 'duplicate'
  await tx.db
    .update(tickets)
    .set({ eventStartsAt: state.startsAt, eventEndsAt: state.endsAt })
    .where(eq(tickets.eventId, data.id))
  const newlyCancelled = data.status === 'cancelled' && previous?.status !== 'cancelled'
  return newlyCancelled ? 'cancelled' : 'applied'
}

/** Whether the replica knows the event as cancelled. */
export const eventCancelled = (eventId: unknown) =>
  sql<boolean>`exists (select 1 from ${events} where ${events.id} = ${eventId} and ${events.status} = 'cancelled')`
