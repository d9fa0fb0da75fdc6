import {
  describeRoute,
  errorResponse,
  idempotencyErrors,
  idempotencyKeyHeader,
  idempotentReplayedHeader,
  jsonResponse,
  payloadTooLarge,
  retryAfter,
  type ServiceInfo,
  serverError,
  serviceUnavailable,
  signedIn,
  unauthorized,
} from '@twtix/common/openapi'
import { ALREADY_RESERVED, SALES_ENDED, TICKET_CHANGED } from '../commands/create-order.ts'
import { examples, OrderBody, OrderListBody } from './responses.ts'

export const ordersInfo: ServiceInfo = {
  title: 'twtix orders',
  description: 'Orders: a buyer holds a ticket while paying for it.',
  tag: { name: 'orders', description: 'Holding a ticket, order history, cancelling' },
}

const { order } = examples
const notFound = errorResponse('No order has this id', { notFound: 'Order not found' })
const notOwner = errorResponse('Someone else placed this order', { forbidden: 'Forbidden' })
const badId = { message: 'Order id must be a valid id', field: 'id' }

export const createOrderDoc = describeRoute({
  operationId: 'createOrder',
  tags: ['orders'],
  summary: 'Order a ticket',
  description:
    'Holds the ticket for the caller until `expiresAt` (15 minutes by default); pay for it with ' +
    '`POST /api/payments` before then. At most one active order per ticket: a competing buyer ' +
    'gets a 400 at once. A ticket listed a moment ago may be unknown here for a moment (404). ' +
    'Send an `Idempotency-Key` to make a retry safe. Send the `expectedPrice` (and `ticketVersion`) ' +
    'the buyer saw: if the seller changed the ticket since, the order is refused with 409 and ' +
    'nothing is held. The order keeps the price it was placed at; that is what payments charges. ' +
    'A buyer holds at most 5 unpaid orders, waits 10 minutes before ordering again a ticket whose ' +
    'order of theirs was cancelled or expired, and places at most 30 orders a minute (429). ' +
    "A ticket of an event cannot be ordered from the event's start on (400).",
  security: signedIn,
  parameters: [idempotencyKeyHeader],
  responses: {
    201: jsonResponse('The order, holding the ticket', OrderBody, order, idempotentReplayedHeader),
    400: errorResponse('Bad input, or the ticket cannot be ordered', {
      reserved: ALREADY_RESERVED,
      sold: 'Ticket has already been sold',
      own: 'Cannot order your own ticket',
      salesEnded: SALES_ENDED,
      badTicketId: { message: 'ticketId must be a valid id', field: 'ticketId' },
    }),
    401: unauthorized,
    404: errorResponse('No ticket has this id', { notFound: 'Ticket not found' }),
    ...idempotencyErrors,
    409: errorResponse(
      'The ticket changed since the buyer saw it, or this `Idempotency-Key` is still running',
      {
        changed: TICKET_CHANGED,
        inProgress: 'A request with this Idempotency-Key is in progress',
      },
    ),
    413: payloadTooLarge,
    429: errorResponse(
      'A limit on what one buyer may hold: wait `Retry-After` seconds',
      {
        open: 'You have 5 unpaid orders: pay for or cancel one first',
        cooldown: 'Your last order of this ticket ended moments ago; you can order it again later',
        rate: 'Too many orders in a minute, try again shortly',
      },
      retryAfter(600),
    ),
    500: serverError,
    503: serviceUnavailable,
  },
})

export const listOrdersDoc = describeRoute({
  operationId: 'listOrders',
  tags: ['orders'],
  summary: 'Order history',
  description: "The caller's orders, newest first, whatever their status.",
  security: signedIn,
  responses: {
    200: jsonResponse('The orders', OrderListBody, [{ ...order, status: 'complete', version: 1 }]),
    401: unauthorized,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const getOrderDoc = describeRoute({
  operationId: 'getOrder',
  tags: ['orders'],
  summary: 'One order',
  description: 'Only the buyer who placed it may see it.',
  security: signedIn,
  responses: {
    200: jsonResponse('The order', OrderBody, order),
    400: errorResponse('The id is not a UUID', { badId }),
    401: unauthorized,
    403: notOwner,
    404: notFound,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const cancelOrderDoc = describeRoute({
  operationId: 'cancelOrder',
  tags: ['orders'],
  summary: 'Cancel an order',
  description:
    'Lets the ticket go. Cancelling a cancelled order changes nothing; a completed (paid) order ' +
    'cannot be cancelled.',
  security: signedIn,
  responses: {
    204: { description: 'Cancelled' },
    400: errorResponse('The order is paid for, or the id is not a UUID', {
      complete: 'Cannot cancel a completed order',
      badId,
    }),
    401: unauthorized,
    403: notOwner,
    404: notFound,
    500: serverError,
    503: serviceUnavailable,
  },
})
