import {
  describeRoute,
  errorResponse,
  jsonResponse,
  payloadTooLarge,
  type ServiceInfo,
  serverError,
  serviceUnavailable,
  signedIn,
  unauthorized,
} from '@twtix/common/openapi'
import { examples, TicketBody, TicketListBody } from './responses.ts'
import { MAX_LIMIT } from './schemas.ts'

export const ticketsInfo: ServiceInfo = {
  title: 'twtix tickets',
  description: 'Tickets listed for resale.',
  tag: { name: 'tickets', description: 'Tickets for sale: list, browse, edit' },
  moreTags: [{ name: 'events', description: 'Events and their tickets: create, search, browse' }],
}

const { ticket, cursor } = examples
const notFound = errorResponse('No ticket has this id', { notFound: 'Ticket not found' })
const badId = { message: 'Ticket id must be a UUID', field: 'id' }

export const createTicketDoc = describeRoute({
  operationId: 'createTicket',
  tags: ['tickets'],
  summary: 'List a ticket for sale',
  description:
    'The signed-in user puts a ticket up for sale; it starts `available`, version 0. A ticket ' +
    'of an event (`eventId`) needs its `faceValue`, and `title` defaults to the event name; a ' +
    'listing without an event needs a `title` (the original `{title, price}` body). Whenever a ' +
    'face value is given, the price may not exceed it × RESALE_PRICE_CAP (1.0 by default: ' +
    "Japan's ticket resale act). Sales of an event stop at its start.",
  security: signedIn,
  responses: {
    201: jsonResponse('The new ticket', TicketBody, ticket),
    400: errorResponse('A bad field, a price above the cap, an event no longer on sale', {
      badPrice: {
        message: 'Price must be a whole number of yen from 50 to 9,999,999',
        field: 'price',
      },
      noTitle: { message: 'title is required', field: 'title' },
      aboveCap: {
        message: 'Price must be at most ¥9,800: resale is capped at 1× the face value of ¥9,800',
        field: 'price',
      },
      noFaceValue: {
        message: 'faceValue is required for a ticket of an event',
        field: 'faceValue',
      },
      salesEnded: { message: 'Sales for this event have ended', field: 'eventId' },
    }),
    401: unauthorized,
    413: payloadTooLarge,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const listTicketsDoc = describeRoute({
  operationId: 'listTickets',
  tags: ['tickets'],
  summary: 'Browse tickets for sale',
  description:
    'Unsold tickets (`available` or `reserved`), newest first, a page at a time; tickets of an ' +
    'event that has started (or is finished or cancelled) are left out. When there is ' +
    `a next page, the \`Link\` header gives its URL (\`rel="next"\`): follow it until there is ` +
    'no `Link`. The cursor is opaque.',
  responses: {
    200: jsonResponse('One page of tickets', TicketListBody, [ticket], {
      Link: {
        description: 'The next page, when there is one',
        schema: { type: 'string' },
        example: `</api/tickets?limit=20&cursor=${cursor}>; rel="next"`,
      },
    }),
    400: errorResponse('A bad limit or cursor', {
      badLimit: { message: `Limit must be a whole number from 1 to ${MAX_LIMIT}`, field: 'limit' },
      badCursor: { message: 'Cursor is invalid', field: 'cursor' },
    }),
    500: serverError,
    503: serviceUnavailable,
  },
})

export const getTicketDoc = describeRoute({
  operationId: 'getTicket',
  tags: ['tickets'],
  summary: 'One ticket',
  description: 'Any ticket, sold ones too.',
  responses: {
    200: jsonResponse('The ticket', TicketBody, { ...ticket, status: 'sold' }),
    400: errorResponse('The id is not a UUID', { badId }),
    404: notFound,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const updateTicketDoc = describeRoute({
  operationId: 'updateTicket',
  tags: ['tickets'],
  summary: 'Change the title or price',
  description:
    'Only the seller, and only while the ticket is `available`: a reserved or sold ticket ' +
    'cannot change. Every change adds one to `version`. A new price stays within the face ' +
    'value × RESALE_PRICE_CAP when the ticket has a face value.',
  security: signedIn,
  responses: {
    200: jsonResponse('The changed ticket', TicketBody, { ...ticket, price: 9000, version: 1 }),
    400: errorResponse('Bad input, or the ticket is reserved or sold', {
      reserved: 'Cannot edit a reserved ticket',
      sold: 'Cannot edit a sold ticket',
      nothing: 'Provide a title or a price to change',
      aboveCap: {
        message: 'Price must be at most ¥9,800: resale is capped at 1× the face value of ¥9,800',
        field: 'price',
      },
      badId,
    }),
    401: unauthorized,
    403: errorResponse('Someone else sells this ticket', {
      notOwner: 'You do not own this ticket',
    }),
    404: notFound,
    413: payloadTooLarge,
    500: serverError,
    503: serviceUnavailable,
  },
})
