import * as v from 'valibot'
import { Instant, parseDateOrInstant } from './instant.ts'
import { DEFAULT_LIMIT, MAX_LIMIT } from './schemas.ts'

const text = (label: string, max: number) =>
  v.pipe(
    v.string(`${label} must be a string`),
    v.trim(),
    v.nonEmpty(`${label} is required`),
    v.check((s) => [...s].length <= max, `${label} must be at most ${max} characters`),
    v.description(`1 to ${max} characters, surrounding spaces trimmed`),
  )

/** Unknown keys are dropped: a client cannot set the status (every new event is scheduled). */
export const CreateEventBody = v.object({
  name: text('Name', 120),
  venue: text('Venue', 120),
  city: text('City', 60),
  startsAt: v.pipe(
    Instant('startsAt'),
    v.description('When the event starts (sales stop then): ISO 8601 with an offset'),
  ),
  endsAt: v.optional(
    v.nullable(v.pipe(Instant('endsAt'), v.description('When it ends, after `startsAt`'))),
  ),
})

/** New times for an event: a future start, and an end after it (absent: as long as before). */
export const PostponeEventBody = v.object({
  startsAt: v.pipe(Instant('startsAt'), v.description('The new start: ISO 8601 with an offset')),
  endsAt: v.optional(
    v.nullable(
      v.pipe(
        Instant('endsAt'),
        v.description('The new end, after `startsAt`; absent: the event lasts as long as before'),
      ),
    ),
  ),
})

export const EventParams = v.object({
  id: v.pipe(v.string(), v.uuid('Event id must be a UUID')),
})

const limitRange = `Limit must be a whole number from 1 to ${MAX_LIMIT}`
const Limit = v.optional(
  v.pipe(
    v.string(limitRange),
    v.regex(/^\d{1,3}$/, limitRange),
    v.description(`Per page, 1 to ${MAX_LIMIT}; ${DEFAULT_LIMIT} when absent`),
    v.transform(Number),
    v.minValue(1, limitRange),
    v.maxValue(MAX_LIMIT, limitRange),
  ),
)
const Cursor = v.optional(
  v.pipe(
    v.string('Cursor must be a string'),
    v.nonEmpty('Cursor is invalid'),
    v.description("Where the page starts: copy it from the previous page's `Link` header"),
  ),
)

const moment = (field: string, description: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => parseDateOrInstant(s) !== undefined,
        `${field} must be a date (2026-08-01) or a date and time with an offset`,
      ),
      v.description(description),
      v.transform((s) => parseDateOrInstant(s) as { at: Date; dateOnly: boolean }),
    ),
  )

const searchText = (field: string, max: number, description: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.check((s) => [...s].length <= max, `${field} must be at most ${max} characters`),
      v.description(description),
    ),
  )

export const SearchEventsQuery = v.object({
  q: searchText('q', 100, 'Words that must all appear in the name, venue or city (any case)'),
  city: searchText('city', 60, 'The city, any case'),
  from: moment(
    'from',
    'Events starting at or after this (a bare date is midnight in Japan); now when absent',
  ),
  to: moment('to', 'Events starting before this; a bare date includes that whole day in Japan'),
  limit: Limit,
  cursor: Cursor,
})

export const EventTicketsQuery = v.object({ limit: Limit, cursor: Cursor })
