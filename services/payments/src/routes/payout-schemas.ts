import * as v from 'valibot'

export const MAX_LIMIT = 100
export const DEFAULT_LIMIT = 20

const limitRange = `Limit must be a whole number from 1 to ${MAX_LIMIT}`
const Limit = v.optional(
  v.pipe(
    v.string(limitRange),
    v.regex(/^\d{1,3}$/, limitRange),
    v.description(`Per page, 1 to ${MAX_LIMIT}; ${DEFAULT_LIMIT} when absent`),
    v.transform(Number),
    v.minValue(1, limitRange),
    v.maxValue(MAX_LIMIT, limitRange),
  ),
)
const Cursor = v.optional(
  v.pipe(
    v.string('Cursor must be a string'),
    v.nonEmpty('Cursor is invalid'),
    v.description("Where the page starts: copy it from the previous page's `Link` header"),
  ),
)

export const PayoutsQuery = v.object({ limit: Limit, cursor: Cursor })

export const AllPayoutsQuery = v.object({
  limit: Limit,
  cursor: Cursor,
  status: v.optional(
    v.pipe(
      v.picklist(
        ['held', 'blocked', 'paid', 'reversed', 'cancelled'],
        'Status must be held, blocked, paid, reversed or cancelled',
      ),
      v.description('Only payouts stored with this status (`held` includes scheduled ones)'),
    ),
  ),
})

export const OfflineOnboardingQuery = v.object({
  account: v.pipe(
    v.string('Account must be a string'),
    v.regex(/^acct_[\w]{1,64}$/, 'Account must be an account id (acct_...)'),
  ),
})
