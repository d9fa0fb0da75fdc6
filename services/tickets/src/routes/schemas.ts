import * as v from 'valibot'

export const MIN_PRICE = 50
export const MAX_PRICE = 9_999_999
const TITLE_MAX = 120

const Title = v.pipe(
  v.string('Title must be a string'),
  v.trim(),
  v.nonEmpty('Title is required'),
  // Characters, not UTF-16 units: an emoji counts once, as char_length does in the database.
  v.check((s) => [...s].length <= TITLE_MAX, `Title must be at most ${TITLE_MAX} characters`),
  v.description(`1 to ${TITLE_MAX} characters, surrounding spaces trimmed`),
)

const priceRange = `Price must be a whole number of yen from ${MIN_PRICE} to 9,999,999`

const Price = v.pipe(
  v.number(priceRange),
  v.integer(priceRange),
  v.minValue(MIN_PRICE, priceRange),
  v.maxValue(MAX_PRICE, priceRange),
)

/** Unknown keys are dropped, not rejected. */
export const CreateTicketBody = v.object({ title: Title, price: Price })

export const UpdateTicketBody = v.pipe(
  v.object({ title: v.optional(Title), price: v.optional(Price) }),
  v.check(
    (body) => body.title !== undefined || body.price !== undefined,
    'Provide a title or a price to change',
  ),
)

export const TicketParams = v.object({
  id: v.pipe(v.string(), v.uuid('Ticket id must be a UUID')),
})

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 100

const limitRange = `Limit must be a whole number from 1 to ${MAX_LIMIT}`

export const ListQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(limitRange),
      v.regex(/^\d{1,3}$/, limitRange),
      v.description(`Tickets per page, 1 to ${MAX_LIMIT}; ${DEFAULT_LIMIT} when absent`),
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
