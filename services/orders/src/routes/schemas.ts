import { ClaimOutcome, ClaimReason } from '@twtix/common'
import * as v from 'valibot'

export const CreateOrderBody = v.object({
  ticketId: v.pipe(
    v.string('ticketId must be a string'),
    v.nonEmpty('ticketId is required'),
    v.uuid('ticketId must be a valid id'),
  ),
  /** The price the buyer saw: the order is refused (409) if the ticket costs anything else now. */
  expectedPrice: v.optional(
    v.pipe(
      v.number('expectedPrice must be a whole number of yen'),
      v.safeInteger('expectedPrice must be a whole number of yen'),
      v.minValue(0, 'expectedPrice must be a whole number of yen'),
    ),
  ),
  /** The ticket's version the buyer saw: refused (409) if the seller changed it since. */
  ticketVersion: v.optional(
    v.pipe(
      v.number('ticketVersion must be a whole number'),
      v.safeInteger('ticketVersion must be a whole number'),
      v.minValue(0, 'ticketVersion must be a whole number'),
    ),
  ),
})

export const OrderParams = v.object({
  id: v.pipe(v.string(), v.uuid('Order id must be a valid id')),
})

export const MAX_CLAIM_DETAILS = 1000
export const MAX_CLAIM_NOTE = 1000

const optionalText = (field: string, max: number, description: string) =>
  v.optional(
    v.pipe(
      v.string(`${field} must be a string`),
      v.trim(),
      v.check((s) => [...s].length <= max, `${field} must be at most ${max} characters`),
      v.description(description),
    ),
  )

export const OpenClaimBody = v.object({
  reason: v.pipe(
    v.picklist(ClaimReason.options, `reason must be one of: ${ClaimReason.options.join(', ')}`),
    v.description('What went wrong'),
  ),
  details: optionalText(
    'details',
    MAX_CLAIM_DETAILS,
    `What happened, up to ${MAX_CLAIM_DETAILS} characters`,
  ),
})

export const ResolveClaimBody = v.object({
  outcome: v.pipe(
    v.picklist(ClaimOutcome.options, `outcome must be one of: ${ClaimOutcome.options.join(', ')}`),
    v.description('`refund` refunds the buyer and cancels the payout; `release` pays the seller'),
  ),
  note: optionalText('note', MAX_CLAIM_NOTE, `Why, up to ${MAX_CLAIM_NOTE} characters`),
})

export const ClaimParams = v.object({
  id: v.pipe(v.string(), v.uuid('Claim id must be a valid id')),
})

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 100
const limitRange = `Limit must be a whole number from 1 to ${MAX_LIMIT}`

export const ListClaimsQuery = v.object({
  status: v.optional(
    v.pipe(
      v.picklist(['open', 'resolved'], 'status must be open or resolved'),
      v.description('Only claims with this status; all when absent'),
    ),
  ),
  limit: v.optional(
    v.pipe(
      v.string(limitRange),
      v.regex(/^\d{1,3}$/, limitRange),
      v.description(`Claims per page, 1 to ${MAX_LIMIT}; ${DEFAULT_LIMIT} when absent`),
      v.transform(Number),
      v.minValue(1, limitRange),
      v.maxValue(MAX_LIMIT, limitRange),
    ),
  ),
  cursor: v.optional(
    v.pipe(
      v.string('Cursor must be a string'),
      v.nonEmpty('Cursor is invalid'),
      v.description("Where the page starts: copy it from the previous page's `Link` header"),
    ),
  ),
})
