import { ClaimOutcome, ClaimReason, OrderStatus } from '@twtix/common'
import * as v from 'valibot'

const Id = v.pipe(v.string(), v.uuid())
const Timestamp = v.pipe(v.string(), v.isoTimestamp())

const ClaimStatus = v.pipe(
  v.picklist(['open', 'resolved']),
  v.description('`open` holds the payout until an admin resolves it'),
)
const Outcome = v.pipe(
  v.nullable(ClaimOutcome),
  v.description(
    'Once resolved: `refund` (the buyer is refunded) or `release` (the seller is paid)',
  ),
)

/** A claim as its order shows it. */
const OrderClaimBody = v.pipe(
  v.object({
    id: Id,
    reason: ClaimReason,
    status: ClaimStatus,
    outcome: Outcome,
    openedAt: Timestamp,
  }),
  v.metadata({ ref: 'OrderClaim' }),
)

/** A claim as the admins see it (see `claimView`). */
export const ClaimBody = v.pipe(
  v.object({
    id: Id,
    orderId: Id,
    userId: v.pipe(Id, v.description('The buyer who opened it')),
    ticketId: Id,
    reason: ClaimReason,
    details: v.nullable(v.string()),
    status: ClaimStatus,
    outcome: Outcome,
    note: v.pipe(v.nullable(v.string()), v.description("The admin's note on resolving it")),
    openedAt: Timestamp,
    resolvedAt: v.nullable(Timestamp),
  }),
  v.metadata({ ref: 'Claim' }),
)

export const ClaimListBody = v.pipe(v.array(ClaimBody), v.description('Claims, newest first'))

/** An order as its owner sees it (see `orderView`). */
export const OrderBody = v.pipe(
  v.object({
    id: Id,
    userId: v.pipe(Id, v.description('The buyer')),
    status: v.pipe(
      OrderStatus,
      v.description(
        '`created` holds the ticket until `expiresAt`; `complete` once paid; `cancelled` when ' +
          'the hold expired or the buyer cancelled',
      ),
    ),
    expiresAt: v.pipe(Timestamp, v.description('When an unpaid hold lets the ticket go')),
    ticket: v.object({
      id: Id,
      title: v.string(),
      price: v.pipe(v.number(), v.integer(), v.description('Whole yen')),
    }),
    version: v.pipe(v.number(), v.integer(), v.minValue(0)),
    createdAt: Timestamp,
    paymentError: v.pipe(
      v.nullable(v.object({ message: v.string(), at: Timestamp })),
      v.description('Why the last payment attempt failed, until one succeeds'),
    ),
    refundedAt: v.pipe(v.nullable(Timestamp), v.description('Set when the payment was refunded')),
    claim: v.pipe(
      v.nullable(OrderClaimBody),
      v.description("The buyer's latest claim on the order (buyer guarantee), if any"),
    ),
    price: v.pipe(v.number(), v.integer(), v.description("Whole yen: the ticket's price")),
    buyerFee: v.pipe(
      v.number(),
      v.integer(),
      v.description(
        'Whole yen: BUYER_FEE_PERCENT of the price (rounded down) + BUYER_FEE_FIXED_YEN',
      ),
    ),
    total: v.pipe(v.number(), v.integer(), v.description('Whole yen: price + buyerFee, charged')),
  }),
  v.metadata({ ref: 'Order' }),
)

export const OrderListBody = v.pipe(
  v.array(OrderBody),
  v.description("The caller's orders, newest first"),
)

export const examples = {
  order: {
    id: 'ab12cd34-ef56-4789-8abc-def012345678',
    userId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    status: 'created',
    expiresAt: '2025-11-25T10:15:00.000Z',
    ticket: { id: 'c0ffee00-1234-4abc-8def-0123456789ab', title: 'Tokyo Dome, row 3', price: 8000 },
    version: 0,
    createdAt: '2025-11-25T10:00:00.000Z',
    paymentError: null,
    refundedAt: null,
    price: 8000,
    buyerFee: 400,
    total: 8400,
    claim: null,
  },
  claim: {
    id: '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7',
    orderId: 'ab12cd34-ef56-4789-8abc-def012345678',
    userId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    ticketId: 'c0ffee00-1234-4abc-8def-0123456789ab',
    reason: 'not received',
    details: 'The seller never sent the e-ticket',
    status: 'open',
    outcome: null,
    note: null,
    openedAt: '2025-11-27T09:00:00.000Z',
    resolvedAt: null,
  },
  claimCursor:
    'WyIyMDI1LTExLTI3VDA5OjAwOjAwLjAwMFoiLCIzZTRmNWE2Yi03YzhkLTRlOWYtYTBiMS1jMmQzZTRmNWE2YjciXQ',
}
