import { createEnvelope, enqueue, type Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { events, outbox, type TicketRow, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { ticketEventData } from '../views.ts'

export type TicketChange = Partial<
  Pick<TicketRow, 'title' | 'price' | 'status' | 'orderId' | 'lastOrderAt'>
>

/** The ticket, locked until the transaction ends, so its checks and its change cannot interleave. */
export async function lockTicket(tx: Tx, id: string): Promise<TicketRow | undefined> {
  const [row] = await tx.db.select().from(tickets).where(eq(tickets.id, id)).for('update')
  return row
}

/**
 * Applies a change to a locked ticket: version+1 and ticket.updated in the same transaction.
 * Every change to a ticket goes through here.
 */
export async function changeTicket(
  deps: Pick<Deps, 'clock'>,
  tx: Tx,
  current: TicketRow,
  change: TicketChange,
  meta: { correlationId?: string },
): Promise<TicketRow> {
  const now = deps.clock()
  // The update and the read of its event's dates go out together (postgres.js pipelines the
  // statements of one connection; a round trip costs more CPU here than either statement). The
  // change never moves the ticket to another event, so the read need not wait for the update.
  const [[updated], event] = await Promise.all([
    tx.db
      .update(tickets)
      .set({ ...change, version: current.version + 1, updatedAt: now })
      .where(eq(tickets.id, current.id))
      .returning(),
    current.eventId ? eventDates(tx, current.eventId) : undefined,
  ])
  if (!updated) throw new Error(`ticket ${current.id} vanished while locked`)
  await enqueue(
    tx,
    outbox,
    createEnvelope('ticket.updated', ticketEventData(updated, event), {
      occurredAt: now,
      correlationId: meta.correlationId,
    }),
  )
  return updated
}

async function eventDates(tx: Tx, eventId: string) {
  const [event] = await tx.db
    .select({ startsAt: events.startsAt, endsAt: events.endsAt })
    .from(events)
    .where(eq(events.id, eventId))
  return event
}
