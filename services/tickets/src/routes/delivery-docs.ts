import {
  describeRoute,
  errorResponse,
  inputSchema,
  jsonResponse,
  serverError,
  serviceUnavailable,
  signedIn,
  unauthorized,
} from '@twtix/common/openapi'
import * as v from 'valibot'
import { CODE_MAX, DeliveryJsonBody, FILE_MAX_BYTES, URL_MAX } from './delivery-schemas.ts'
import { examples } from './responses.ts'

const Timestamp = v.pipe(v.string(), v.isoTimestamp())

const DeliveryBody = v.pipe(
  v.union([
    v.object({
      ticketId: v.string(),
      kind: v.picklist(['code', 'url']),
      value: v.string(),
      updatedAt: Timestamp,
    }),
    v.object({
      ticketId: v.string(),
      kind: v.literal('file'),
      contentType: v.picklist(['application/pdf', 'image/png']),
      fileName: v.string(),
      size: v.pipe(v.number(), v.integer()),
      updatedAt: Timestamp,
    }),
  ]),
  v.metadata({ ref: 'Delivery' }),
)

const OrderTicketBody = v.object({ kind: v.picklist(['code', 'url']), value: v.string() })

const ticketId = examples.ticket.id
const notFound = errorResponse('No ticket has this id', { notFound: 'Ticket not found' })
const notOwner = errorResponse('Someone else sells this ticket', {
  notOwner: 'You do not own this ticket',
})
const binary = { schema: { type: 'string', format: 'binary' } } as const

export const putDeliveryDoc = describeRoute({
  operationId: 'putTicketDelivery',
  tags: ['tickets'],
  summary: 'Add or replace the delivery details',
  description:
    'The seller attaches what the buyer needs to get in: JSON `{"code"}` (a transfer code, 1 to ' +
    `${CODE_MAX} characters) or \`{"url"}\` (https only, at most ${URL_MAX} characters), or a ` +
    `file as the raw body with \`Content-Type: application/pdf\` or \`image/png\` (at most ` +
    `${FILE_MAX_BYTES / 1024 / 1024} MB; its first bytes must match the type). Only the buyer of ` +
    'a paid order ever sees it (`GET /api/orders/{id}/ticket`); listings show ' +
    '`delivery: "ready"`. Replaceable until the event starts. Without it by the event start less ' +
    'DELIVERY_DEADLINE_HOURS, a paid order is refunded in full.',
  security: signedIn,
  requestBody: {
    required: true,
    content: {
      'application/json': {
        schema: inputSchema(DeliveryJsonBody) as never,
        example: { code: 'TRANSFER-8F3K-22QZ' },
      },
      'application/pdf': binary,
      'image/png': binary,
    },
  },
  responses: {
    200: jsonResponse('The delivery as saved', DeliveryBody, {
      ticketId,
      kind: 'code',
      value: 'TRANSFER-8F3K-22QZ',
      updatedAt: '2025-11-26T10:00:00.000Z',
    }),
    400: errorResponse('A bad code or URL, an empty file, or the event has started', {
      neither: 'Provide either a code or a url',
      notHttps: { message: 'URL must start with https://', field: 'url' },
      started: 'The event has started: the delivery can no longer change',
    }),
    401: unauthorized,
    403: notOwner,
    404: notFound,
    413: errorResponse('The file is larger than 2 MB', {
      tooLarge: 'The file must be at most 2 MB',
    }),
    415: errorResponse('Neither JSON nor a PDF or PNG file, or the bytes do not match the type', {
      badType: 'Send JSON {code} or {url}, or a file as application/pdf or image/png',
      notPdf: 'The file is not a PDF',
    }),
    500: serverError,
    503: serviceUnavailable,
  },
})

export const getDeliveryDoc = describeRoute({
  operationId: 'getTicketDelivery',
  tags: ['tickets'],
  summary: "The seller's delivery details",
  description: 'Only the seller: the code or URL, or the file described (not sent back).',
  security: signedIn,
  responses: {
    200: jsonResponse('The delivery', DeliveryBody, {
      ticketId,
      kind: 'file',
      contentType: 'application/pdf',
      fileName: `ticket-${ticketId}.pdf`,
      size: 48213,
      updatedAt: '2025-11-26T10:00:00.000Z',
    }),
    401: unauthorized,
    403: notOwner,
    404: errorResponse('No such ticket, or no delivery yet', {
      notFound: 'Ticket not found',
      pending: 'No delivery details yet: the ticket shows "delivery pending"',
    }),
    500: serverError,
    503: serviceUnavailable,
  },
})

export const getOrderTicketDoc = describeRoute({
  operationId: 'getOrderTicket',
  tags: ['tickets'],
  summary: 'The bought ticket: code, URL or file',
  description:
    'Only the buyer, only once the order is paid (`complete`) and not cancelled or refunded. ' +
    'A code or URL as JSON; a file as its bytes, with its Content-Type and ' +
    '`Content-Disposition: attachment`. Everyone else gets 404, as for an unknown order.',
  security: signedIn,
  responses: {
    200: {
      description: 'The delivery: JSON for a code or URL, the file itself otherwise',
      content: {
        'application/json': {
          schema: inputSchema(OrderTicketBody) as never,
          example: { kind: 'url', value: 'https://tickets.example.jp/transfer/8F3K22QZ' },
        },
        'application/pdf': binary,
        'image/png': binary,
      },
    },
    401: unauthorized,
    404: errorResponse('No paid order of yours has this id', { notFound: 'Order not found' }),
    409: errorResponse('Paid, but the seller has not added the delivery yet', {
      pending: 'The seller has not added the delivery yet',
    }),
    410: errorResponse('Your order was refunded (a claim, a missed delivery deadline)', {
      refunded: 'This order was refunded',
    }),
    500: serverError,
    503: serviceUnavailable,
  },
})
