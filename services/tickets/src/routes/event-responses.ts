import * as v from 'valibot'

const Timestamp = v.pipe(v.string(), v.isoTimestamp())

/** An event as every events route returns it (see `toEvent`). */
export const EventBody = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.uuid()),
    name: v.string(),
    venue: v.string(),
    city: v.string(),
    startsAt: v.pipe(Timestamp, v.description('Sales of its tickets stop then')),
    endsAt: v.nullable(Timestamp),
    status: v.pipe(
      v.picklist(['scheduled', 'postponed', 'cancelled', 'finished']),
      v.description(
        'Every event created through the API is `scheduled`; an admin may postpone or cancel ' +
          'it; `finished` once it has ended',
      ),
    ),
    version: v.pipe(v.number(), v.description('+1 on every change (postponed, cancelled)')),
    createdAt: Timestamp,
  }),
  v.metadata({ ref: 'Event' }),
)

export const EventListBody = v.pipe(v.array(EventBody), v.description('Events, soonest first'))

const event = {
  id: '7d2e4c1a-5b6f-4a8e-9c0d-1e2f3a4b5c6d',
  name: 'Perfume Live 2026',
  venue: 'Nippon Budokan',
  city: 'Tokyo',
  startsAt: '2027-08-01T09:00:00.000Z',
  endsAt: '2027-08-01T12:00:00.000Z',
  status: 'scheduled',
  version: 0,
  createdAt: '2025-11-25T09:30:00.000Z',
}

export const eventExamples = {
  event,
  create: {
    name: 'Perfume Live 2026',
    venue: 'Nippon Budokan',
    city: 'Tokyo',
    startsAt: '2027-08-01T18:00:00+09:00',
    endsAt: '2027-08-01T21:00:00+09:00',
  },
  postpone: { startsAt: '2027-09-12T18:00:00+09:00', endsAt: '2027-09-12T21:00:00+09:00' },
  search: { q: 'perfume', city: 'Tokyo', from: '2027-08-01', to: '2027-08-31', limit: '20' },
  cursor:
    'WyIyMDI3LTA4LTAxVDA5OjAwOjAwLjAwMFoiLCI3ZDJlNGMxYS01YjZmLTRhOGUtOWMwZC0xZTJmM2E0YjVjNmQiXQ',
  priceCursor: 'Wzk4MDAsImMwZmZlZTAwLTEyMzQtNGFiYy04ZGVmLTAxMjM0NTY3ODlhYiJd',
}
