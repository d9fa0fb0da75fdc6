import {
  adminsOnly,
  describeRoute,
  errorResponse,
  jsonResponse,
  payloadTooLarge,
  serverError,
  serviceUnavailable,
  signedIn,
  unauthorized,
} from '@twtix/common/openapi'
import { EventBody, EventListBody, eventExamples } from './event-responses.ts'
import { examples, TicketListBody } from './responses.ts'
import { MAX_LIMIT } from './schemas.ts'

const { event, cursor, priceCursor } = eventExamples
const notFound = errorResponse('No event has this id', { notFound: 'Event not found' })
const badId = { message: 'Event id must be a UUID', field: 'id' }
const badPage = {
  badLimit: { message: `Limit must be a whole number from 1 to ${MAX_LIMIT}`, field: 'limit' },
  badCursor: { message: 'Cursor is invalid', field: 'cursor' },
}
const link = (example: string) => ({
  Link: {
    description: 'The next page, when there is one',
    schema: { type: 'string' as const },
    example,
  },
})

export const createEventDoc = describeRoute({
  operationId: 'createEvent',
  tags: ['events'],
  summary: 'Create an event, or find it',
  description:
    'Any signed-in user may create an event; it starts `scheduled`. An event is its name, venue ' +
    'and start: compared ignoring case, full-width letters and extra spaces. Creating one that ' +
    'exists answers 200 with the existing event (what was sent otherwise is ignored), so a ' +
    'seller can always post the event of their ticket and use the id that comes back.',
  security: signedIn,
  responses: {
    201: jsonResponse('The new event', EventBody, event),
    200: jsonResponse('The event that already had this name, venue and start', EventBody, event),
    400: errorResponse('A bad field, a start in the past, an end before the start', {
      past: { message: 'startsAt must be in the future', field: 'startsAt' },
      noName: { message: 'name is required', field: 'name' },
      badEnd: { message: 'endsAt must be after startsAt', field: 'endsAt' },
    }),
    401: unauthorized,
    413: payloadTooLarge,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const searchEventsDoc = describeRoute({
  operationId: 'searchEvents',
  tags: ['events'],
  summary: 'Find events',
  description:
    'Events starting in a range (from now on by default), soonest first, optionally matching ' +
    'words (`q`, in the name, venue or city, any case) and a city. Paged like the tickets: ' +
    'follow the `Link` header.',
  responses: {
    200: jsonResponse(
      'One page of events',
      EventListBody,
      [event],
      link(`</api/events?q=perfume&limit=20&cursor=${cursor}>; rel="next"`),
    ),
    400: errorResponse('A bad parameter', {
      ...badPage,
      badFrom: {
        message: 'from must be a date (2026-08-01) or a date and time with an offset',
        field: 'from',
      },
    }),
    500: serverError,
    503: serviceUnavailable,
  },
})

export const getEventDoc = describeRoute({
  operationId: 'getEvent',
  tags: ['events'],
  summary: 'One event',
  description: 'Any event, past and cancelled ones too.',
  responses: {
    200: jsonResponse('The event', EventBody, event),
    400: errorResponse('The id is not a UUID', { badId }),
    404: notFound,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const eventTicketsDoc = describeRoute({
  operationId: 'listEventTickets',
  tags: ['events'],
  summary: "An event's tickets for sale, cheapest first",
  description:
    'Unsold tickets of the event (`available` or `reserved`) by price, cheapest first, a page ' +
    'at a time (`Link` header). Empty once the event has started, or is finished or cancelled: ' +
    'sales stop at `startsAt`.',
  responses: {
    200: jsonResponse(
      'One page of tickets',
      TicketListBody,
      [examples.ticket],
      link(`</api/events/${event.id}/tickets?limit=20&cursor=${priceCursor}>; rel="next"`),
    ),
    400: errorResponse('A bad id, limit or cursor', { ...badPage, badId }),
    404: notFound,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const cancelEventDoc = describeRoute({
  operationId: 'cancelEvent',
  tags: ['events'],
  summary: 'Cancel an event (admins)',
  description:
    'The event becomes `cancelled` (version+1, event.updated): its listings leave the listing ' +
    'and cannot be ordered, its open orders are cancelled, its paid orders refunded in full and ' +
    'their payouts cancelled, each by the service that owns them.',
  security: signedIn,
  responses: {
    200: jsonResponse('The cancelled event', EventBody, {
      ...event,
      status: 'cancelled',
      version: 1,
    }),
    400: errorResponse('The id is not a UUID', { badId }),
    401: unauthorized,
    403: adminsOnly,
    404: notFound,
    409: errorResponse('Already cancelled', { cancelled: 'Event is already cancelled' }),
    500: serverError,
    503: serviceUnavailable,
  },
})

export const postponeEventDoc = describeRoute({
  operationId: 'postponeEvent',
  tags: ['events'],
  summary: 'Postpone an event (admins)',
  description:
    'New times for the event (`postponed`, version+1, event.updated): its listings stay on sale ' +
    'until the new start; orders take the new times for claims and payouts.',
  security: signedIn,
  responses: {
    200: jsonResponse('The postponed event', EventBody, {
      ...event,
      status: 'postponed',
      startsAt: '2027-09-12T09:00:00.000Z',
      endsAt: '2027-09-12T12:00:00.000Z',
      version: 1,
    }),
    400: errorResponse('A bad id or time, a start in the past, an end before the start', {
      badId,
      past: { message: 'startsAt must be in the future', field: 'startsAt' },
      badEnd: { message: 'endsAt must be after startsAt', field: 'endsAt' },
    }),
    401: unauthorized,
    403: adminsOnly,
    404: notFound,
    409: errorResponse('Cancelled, finished, or the same event exists at that time', {
      cancelled: 'A cancelled event cannot be postponed',
      finished: 'Event has finished',
    }),
    413: payloadTooLarge,
    500: serverError,
    503: serviceUnavailable,
  },
})
