import { createEnvelope, enqueue, type Tx } from '@twtix/common'
import { eq, inArray } from 'drizzle-orm'
import { type EventRow, events, outbox, type TicketRow, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { ticketEventData } from '../views.ts'

export type TicketChange = Partial<
  Pick<TicketRow, 'title' | 'price' | 'status' | 'orderId' | 'lastOrderAt'>
>

/** A ticket locked until the transaction ends, with its event's dates as they were then. */
export type LockedTicket = TicketRow & { readonly eventDates: EventDates | undefined }
type EventDates = Pick<EventRow, 'startsAt' | 'endsAt'>

/**
 * The ticket, locked until the transaction ends, so its checks and its change cannot interleave.
 * Its event's dates go out in the same round trip: one connection runs its statements in order,
 * so that read starts once the lock is granted and sees what was committed by then, as a read
 * sent after it would (a ticket never moves to another event).
 */
export async function lockTicket(tx: Tx, id: string): Promise<LockedTicket | undefined> {
  const [[row], [dates]] = await Promise.all([
    tx.db.select().from(tickets).where(eq(tickets.id, id)).for('update'),
    tx.db
      .select({ startsAt: events.startsAt, endsAt: events.endsAt })
      .from(events)
      .where(
        inArray(
          events.id,
          tx.db.select({ id: tickets.eventId }).from(tickets).where(eq(tickets.id, id)),
        ),
      ),
  ])
  return row && { ...row, eventDates: dates }
}

/**
 * A change to `current` as it is written: the columns it sets (version+1 among them) and the
 * ticket.updated announcing the ticket's new row.
 */
export function ticketChange(
  deps: Pick<Deps, 'clock'>,
  current: LockedTicket,
  change: TicketChange,
  meta: { correlationId?: string },
) {
  const now = deps.clock()
  // Keys left undefined change nothing, as in drizzle's `set`.
  const changed = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined))
  const set = { ...changed, version: current.version + 1, updatedAt: now }
  const { eventDates, ...row } = current
  const event = createEnvelope('ticket.updated', ticketEventData({ ...row, ...set }, eventDates), {
    occurredAt: now,
    correlationId: meta.correlationId,
  })
  return { set, event }
}

/**
 * Applies a change to a locked ticket: version+1 and ticket.updated in the same transaction.
 * Every change to a ticket goes through here, except a reservation made at once
 * (reserve-ticket-at-once.ts), which writes the same `ticketChange` in one statement.
 */
export async function changeTicket(
  deps: Pick<Deps, 'clock'>,
  tx: Tx,
  current: LockedTicket,
  change: TicketChange,
  meta: { correlationId?: string },
): Promise<TicketRow> {
  const { set, event } = ticketChange(deps, current, change, meta)
  // The update and its event go out together (postgres.js pipelines one connection's
  // statements): the ticket is locked, so its new row is the locked one with the change applied.
  const [[updated]] = await Promise.all([
    tx.db.update(tickets).set(set).where(eq(tickets.id, current.id)).returning(),
    enqueue(tx, outbox, event),
  ])
  if (!updated) throw new Error(`ticket ${current.id} vanished while locked`)
  return updated
}
