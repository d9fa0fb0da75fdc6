import { createEnvelope, enqueue, RequestValidationError, type Tx } from '@twtix/common'
import { and, eq } from 'drizzle-orm'
import { events, outbox } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { fold } from '../queries/fold.ts'
import { type Event, eventStateData, toEvent } from '../views.ts'

export type CreateEventInput = {
  userId: string
  name: string
  venue: string
  city: string
  startsAt: Date
  endsAt?: Date | null
}

/** How far ahead an event may be announced: beyond it a date is more likely a typo. */
export const MAX_YEARS_AHEAD = 5

function checkDates(input: CreateEventInput, now: Date) {
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
  if (input.endsAt && input.endsAt <= input.startsAt) {
    throw new RequestValidationError([
      { message: 'endsAt must be after startsAt', field: 'endsAt' },
    ])
  }
}

/**
 * Creates the event, or finds the one that exists: an event is its folded name and venue and its
 * start, so "ＢＵＤＯＫＡＮ" and "Budokan" at the same moment are one event. The unique index
 * decides between two people creating it at once; the second gets the first's event and
 * `created: false`, and what it sent otherwise (city, endsAt) is ignored.
 */
export async function createEvent(
  deps: Pick<Deps, 'clock' | 'logger'>,
  tx: Tx,
  input: CreateEventInput,
): Promise<{ event: Event; created: boolean }> {
  const now = deps.clock()
  checkDates(input, now)
  const nameKey = fold(input.name)
  const venueKey = fold(input.venue)
  const [inserted] = await tx.db
    .insert(events)
    .values({
      id: crypto.randomUUID(),
      name: input.name,
      venue: input.venue,
      city: input.city,
      startsAt: input.startsAt,
      endsAt: input.endsAt ?? null,
      status: 'scheduled',
      nameKey,
      venueKey,
      cityKey: fold(input.city),
      createdBy: input.userId,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning()
  if (inserted) {
    await enqueue(
      tx,
      outbox,
      createEnvelope('event.created', eventStateData(inserted), { occurredAt: now }),
    )
    deps.logger.info('event created', { eventId: inserted.id, userId: input.userId })
    return { event: toEvent(inserted, now), created: true }
  }
  const [existing] = await tx.db
    .select()
    .from(events)
    .where(
      and(
        eq(events.nameKey, nameKey),
        eq(events.venueKey, venueKey),
        eq(events.startsAt, input.startsAt),
      ),
    )
  if (!existing) throw new Error('event conflict without an existing event')
  return { event: toEvent(existing, now), created: false }
}
