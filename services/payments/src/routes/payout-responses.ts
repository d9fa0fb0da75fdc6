import * as v from 'valibot'

const Id = v.pipe(v.string(), v.uuid())
const Timestamp = v.pipe(v.string(), v.isoTimestamp())

export const OnboardingBody = v.pipe(
  v.object({
    accountId: v.pipe(v.string(), v.description("The seller's Stripe Connect account (acct_...)")),
    payoutsEnabled: v.boolean(),
    url: v.pipe(
      v.string(),
      v.description(
        "Where the seller completes onboarding: Stripe's hosted page (it expires after a few " +
          "minutes; ask again for a new one). Offline, twtix's own route that completes it.",
      ),
    ),
  }),
  v.metadata({ ref: 'PayoutAccount' }),
)

export const PayoutBody = v.pipe(
  v.object({
    id: Id,
    orderId: Id,
    sellerId: Id,
    amount: v.pipe(v.number(), v.integer(), v.description('Whole yen: price − seller fee')),
    currency: v.literal('JPY'),
    status: v.pipe(
      v.picklist(['scheduled', 'held', 'blocked', 'paid', 'reversed', 'cancelled']),
      v.description(
        '`scheduled`: the money is held until `dueAt` (the event end + PAYOUT_DELAY_DAYS); ' +
          '`held`: a claim on the order is open; `blocked`: due, but onboarding is incomplete; ' +
          '`paid`: transferred; `reversed`: taken back after a refunded claim; `cancelled`: the ' +
          'order was refunded',
      ),
    ),
    reason: v.nullable(v.string()),
    dueAt: Timestamp,
    paidAt: v.nullable(Timestamp),
    transferId: v.nullable(v.string()),
    createdAt: Timestamp,
  }),
  v.metadata({ ref: 'Payout' }),
)

export const PayoutListBody = v.array(PayoutBody)

export const payoutExamples = {
  account: {
    accountId: 'acct_1QxYzAbCdEfGhIjK',
    payoutsEnabled: false,
    url: 'https://connect.stripe.com/setup/e/acct_1QxYzAbCdEfGhIjK/abc123',
  },
  payout: {
    id: '5e11e500-0000-4000-8000-0000000000aa',
    orderId: 'ab12cd34-ef56-4789-8abc-def012345678',
    sellerId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    amount: 7600,
    currency: 'JPY',
    status: 'scheduled',
    reason: null,
    dueAt: '2026-08-04T13:00:00.000Z',
    paidAt: null,
    transferId: null,
    createdAt: '2026-07-20T10:00:00.000Z',
  },
}
