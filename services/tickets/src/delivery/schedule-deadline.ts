import type { Tx } from '@twtix/common'
import type { LockedTicket } from '../commands/change-ticket.ts'
import { deliveryDeadlines } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

const HOUR_MS = 60 * 60 * 1000

/** When a delivery is due: DELIVERY_DEADLINE_HOURS before its event's start, and not before now. */
export function deliveryDueAt(deps: Pick<Deps, 'config'>, startsAt: Date, now: Date): Date {
  const deadline = startsAt.getTime() - deps.config.DELIVERY_DEADLINE_HOURS * HOUR_MS
  return new Date(Math.max(deadline, now.getTime()))
}

/**
 * A ticket just paid for with no delivery yet: due at its event's start less
 * DELIVERY_DEADLINE_HOURS (now, if that has passed). A listing without an event has no deadline.
 */
export async function scheduleDeadline(
  deps: Pick<Deps, 'clock' | 'config'>,
  tx: Tx,
  ticket: Pick<LockedTicket, 'id' | 'hasDelivery' | 'eventDates'>,
  orderId: string,
): Promise<Date | undefined> {
  if (ticket.hasDelivery || !ticket.eventDates) return undefined
  const dueAt = deliveryDueAt(deps, ticket.eventDates.startsAt, deps.clock())
  await tx.db
    .insert(deliveryDeadlines)
    .values({ orderId, ticketId: ticket.id, dueAt })
    .onConflictDoNothing()
  return dueAt
}
