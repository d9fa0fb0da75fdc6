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
import { CLAIM_WINDOW_CLOSED } from '../commands/open-claim.ts'
import { ClaimBody, ClaimListBody, examples } from './responses.ts'
import { MAX_LIMIT } from './schemas.ts'

const { claim, claimCursor } = examples
const resolved = {
  ...claim,
  status: 'resolved',
  outcome: 'refund',
  resolvedAt: '2025-11-28T09:00:00.000Z',
}

export const openClaimDoc = describeRoute({
  operationId: 'openClaim',
  tags: ['orders'],
  summary: 'Open a claim on a paid order (buyer guarantee)',
  description:
    'The buyer of a paid order says it went wrong (`not received`, `invalid`, `not as ' +
    "described`), until CLAIM_WINDOW_HOURS (48 by default) after the event's end (its start " +
    'when the end is unknown). The seller is not paid while the claim is open; an admin ' +
    'resolves it with a refund or by releasing the payout. One open claim per order.',
  security: signedIn,
  responses: {
    201: jsonResponse('The open claim', ClaimBody, claim),
    400: errorResponse('Bad input, an unpaid or refunded order, or the window has closed', {
      unpaid: 'Only a paid order can be claimed',
      refunded: 'This order has been refunded',
      closed: CLAIM_WINDOW_CLOSED,
      badReason: {
        message: 'reason must be one of: not received, invalid, not as described',
        field: 'reason',
      },
    }),
    401: unauthorized,
    404: errorResponse('No order of yours has this id', { notFound: 'Order not found' }),
    409: errorResponse('The order already has a claim (one per order, open or resolved)', {
      open: 'This order already has an open claim',
      resolved: 'A claim on this order was already resolved',
    }),
    413: payloadTooLarge,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const listClaimsDoc = describeRoute({
  operationId: 'listClaims',
  tags: ['orders'],
  summary: 'Claims, newest first (admins)',
  description: 'Every claim, or those of one `status`, a page at a time (`Link` header).',
  security: signedIn,
  responses: {
    200: jsonResponse('One page of claims', ClaimListBody, [claim], {
      Link: {
        description: 'The next page, when there is one',
        schema: { type: 'string' as const },
        example: `</api/claims?status=open&limit=20&cursor=${claimCursor}>; rel="next"`,
      },
    }),
    400: errorResponse('A bad parameter', {
      badStatus: { message: 'status must be open or resolved', field: 'status' },
      badLimit: { message: `Limit must be a whole number from 1 to ${MAX_LIMIT}`, field: 'limit' },
      badCursor: { message: 'Cursor is invalid', field: 'cursor' },
    }),
    401: unauthorized,
    403: adminsOnly,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const resolveClaimDoc = describeRoute({
  operationId: 'resolveClaim',
  tags: ['orders'],
  summary: 'Resolve a claim (admins)',
  description:
    '`refund`: the buyer is refunded and the seller not paid; `release`: the seller is paid. ' +
    'Payments acts on it (claim.resolved).',
  security: signedIn,
  responses: {
    200: jsonResponse('The resolved claim', ClaimBody, resolved),
    400: errorResponse('Bad input', {
      badOutcome: { message: 'outcome must be one of: refund, release', field: 'outcome' },
      badId: { message: 'Claim id must be a valid id', field: 'id' },
    }),
    401: unauthorized,
    403: adminsOnly,
    404: errorResponse('No claim has this id', { notFound: 'Claim not found' }),
    409: errorResponse('Already resolved', { resolved: 'Claim is already resolved' }),
    413: payloadTooLarge,
    500: serverError,
    503: serviceUnavailable,
  },
})
