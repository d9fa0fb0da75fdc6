import type { Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { deliveryDeadlines, events, type TicketRow } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

const HOUR_MS = 60 * 60 * 1000

/**
 * A ticket just paid for with no delivery yet: due at its event's start less
 * DELIVERY_DEADLINE_HOURS (now, if that has passed). A listing without an event has no deadline.
 */
export async function scheduleDeadline(
  deps: Pick<Deps, 'clock' | 'config'>,
  tx: Tx,
  ticket: Pick<TicketRow, 'id' | 'eventId' | 'hasDelivery'>,
  orderId: string,
): Promise<Date | undefined> {
  if (ticket.hasDelivery || !ticket.eventId) return undefined
  const [event] = await tx.db
    .select({ startsAt: events.startsAt })
    .from(events)
    .where(eq(events.id, ticket.eventId))
  if (!event) return undefined
  const deadline = event.startsAt.getTime() - deps.config.DELIVERY_DEADLINE_HOURS * HOUR_MS
  const dueAt = new Date(Math.max(deadline, deps.clock().getTime()))
  await tx.db
    .insert(deliveryDeadlines)
    .values({ orderId, ticketId: ticket.id, dueAt })
    .onConflictDoNothing()
  return dueAt
}
