import { ConflictError, RequestValidationError, type Tx } from '@twtix/common'
import { and, eq, inArray, ne } from 'drizzle-orm'
import { deliveryDeadlines, events, tickets } from '../db/schema.ts'
import { deliveryDueAt } from '../delivery/schedule-deadline.ts'
import type { Deps } from '../deps.ts'
import { type Event, hasFinished, toEvent } from '../views.ts'
import { changeEvent, lockEvent } from './change-event.ts'
import { MAX_YEARS_AHEAD } from './create-event.ts'

export type PostponeEventInput = {
  eventId: string
  adminId: string
  startsAt: Date
  /** Absent: the event lasts as long as before (its end unknown if it was). */
  endsAt?: Date | null
}

function newTimes(
  current: { startsAt: Date; endsAt: Date | null },
  input: PostponeEventInput,
  now: Date,
) {
  const latest = new Date(now)
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD)
  if (input.startsAt <= now) {
    throw new RequestValidationError([
      { message: 'startsAt must be in the future', field: 'startsAt' },
    ])
  }
  if (input.startsAt > latest) {
    throw new RequestValidationError([
      { message: `startsAt must be within ${MAX_YEARS_AHEAD} years`, field: 'startsAt' },
    ])
  }
  const duration = current.endsAt && current.endsAt.getTime() - current.startsAt.getTime()
  const endsAt =
    input.endsAt !== undefined
      ? input.endsAt
      : duration
        ? new Date(input.startsAt.getTime() + duration)
        : null
  if (endsAt && endsAt <= input.startsAt) {
    throw new RequestValidationError([
      { message: 'endsAt must be after startsAt', field: 'endsAt' },
    ])
  }
  return { startsAt: input.startsAt, endsAt }
}

/**
 * An admin moves an event to new times (status `postponed`): its listings stay on sale until
 * the new start, and orders and payments take the new times from event.updated. Pending
 * delivery deadlines of its tickets move with it (new start less DELIVERY_DEADLINE_HOURS), in the
 * same transaction, so a seller is not judged undelivered by the old date.
 */
export async function postponeEvent(
  deps: Pick<Deps, 'clock' | 'logger' | 'config'>,
  tx: Tx,
  input: PostponeEventInput,
  meta: { correlationId?: string } = {},
): Promise<Event> {
  const now = deps.clock()
  const current = await lockEvent(tx, input.eventId)
  if (current.status === 'cancelled')
    throw new ConflictError('A cancelled event cannot be postponed')
  if (hasFinished(current, now)) throw new ConflictError('Event has finished')
  const times = newTimes(current, input, now)
  // The same event (folded name and venue) at the new start would break the identity index.
  const [twin] = await tx.db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        eq(events.nameKey, current.nameKey),
        eq(events.venueKey, current.venueKey),
        eq(events.startsAt, times.startsAt),
        ne(events.id, current.id),
      ),
    )
  if (twin) throw new ConflictError('The same event already exists at that time')
  const updated = await changeEvent(deps, tx, current, { status: 'postponed', ...times }, meta)
  await tx.db
    .update(deliveryDeadlines)
    .set({ dueAt: deliveryDueAt(deps, times.startsAt, now) })
    .where(
      inArray(
        deliveryDeadlines.ticketId,
        tx.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.eventId, current.id)),
      ),
    )
  deps.logger.info('event postponed', { eventId: updated.id, adminId: input.adminId })
  return toEvent(updated, now)
}
