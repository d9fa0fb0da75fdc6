import {
  describeRoute,
  errorResponse,
  jsonResponse,
  serverError,
  serviceUnavailable,
  signedIn,
  unauthorized,
} from '@twtix/common/openapi'
import {
  payoutExamples as examples,
  OnboardingBody,
  PayoutBody,
  PayoutListBody,
} from './payout-responses.ts'
import { MAX_LIMIT } from './payout-schemas.ts'

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

export const startOnboardingDoc = describeRoute({
  operationId: 'startPayoutOnboarding',
  tags: ['payouts'],
  summary: 'Onboard for payouts (Stripe Connect)',
  description:
    "Creates the seller's Stripe Connect Express account (Japan) the first time, and returns a " +
    'fresh onboarding link. Payouts wait (`blocked`) until Stripe reports the account can be ' +
    'paid (the `account.updated` webhook). Offline, the link is a twtix route that completes ' +
    'onboarding when the seller opens it.',
  security: signedIn,
  responses: {
    200: jsonResponse('The account and its onboarding link', OnboardingBody, examples.account),
    401: unauthorized,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const offlineOnboardingDoc = describeRoute({
  operationId: 'completeOfflineOnboarding',
  tags: ['payouts'],
  summary: 'Complete onboarding (offline gateway only)',
  description:
    'The onboarding link of the offline gateway: marks the signed-in seller’s own account as ' +
    'able to be paid, as Stripe’s webhook would. 404 with Stripe, or for someone else’s account.',
  security: signedIn,
  responses: {
    200: jsonResponse('Onboarding complete', OnboardingBody, {
      ...examples.account,
      payoutsEnabled: true,
    }),
    400: errorResponse('A malformed account id', {
      badAccount: { message: 'Account must be an account id (acct_...)', field: 'account' },
    }),
    401: unauthorized,
    404: errorResponse('Not the caller’s account, or not offline', {
      notFound: 'Account not found',
    }),
    500: serverError,
  },
})

export const listPayoutsDoc = describeRoute({
  operationId: 'listPayouts',
  tags: ['payouts'],
  summary: "The seller's payouts",
  description:
    'One payout per ticket sold and paid for, newest first, a page at a time (`Link` header): ' +
    'the price less the seller fee, due PAYOUT_DELAY_DAYS after the event ends.',
  security: signedIn,
  responses: {
    200: jsonResponse(
      'One page of payouts',
      PayoutListBody,
      [examples.payout],
      link(
        '</api/payouts?limit=20&cursor=WyIyMDI2LTA3LTIwVDEwOjAwOjAwLjAwMFoiLCIuLi4iXQ>; rel="next"',
      ),
    ),
    400: errorResponse('A bad limit or cursor', badPage),
    401: unauthorized,
    500: serverError,
    503: serviceUnavailable,
  },
})

export const allPayoutsDoc = describeRoute({
  operationId: 'listAllPayouts',
  tags: ['payouts'],
  summary: 'Every payout (admins)',
  description: 'All sellers’ payouts, newest first, optionally of one stored status.',
  security: signedIn,
  responses: {
    200: jsonResponse('One page of payouts', PayoutListBody, [examples.payout]),
    400: errorResponse('A bad limit, cursor or status', {
      ...badPage,
      badStatus: {
        message: 'Status must be held, blocked, paid, reversed or cancelled',
        field: 'status',
      },
    }),
    401: unauthorized,
    403: errorResponse('Not an admin', { notAdmin: 'Admins only' }),
    500: serverError,
    503: serviceUnavailable,
  },
})

export { PayoutBody }
