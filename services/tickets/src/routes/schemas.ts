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

const faceRange = 'Face value must be a whole number of yen from 1 to 9,999,999'
const FaceValue = v.pipe(
  v.number(faceRange),
  v.integer(faceRange),
  v.minValue(1, faceRange),
  v.maxValue(MAX_PRICE, faceRange),
  v.description(
    'The price printed on the ticket, whole yen: the price may not exceed it × the cap',
  ),
)

const SEAT_MAX = 40
const SeatPart = (label: string) =>
  v.optional(
    v.pipe(
      v.string(`${label} must be a string`),
      v.trim(),
      v.nonEmpty(`${label} must not be blank`),
      v.check((s) => [...s].length <= SEAT_MAX, `${label} must be at most ${SEAT_MAX} characters`),
    ),
  )

/** Unknown keys are dropped, not rejected. */
export const CreateTicketBody = v.object({
  title: v.optional(Title),
  price: Price,
  eventId: v.optional(
    v.pipe(
      v.string('Event id must be a string'),
      v.uuid('Event id must be a UUID'),
      v.description('The event (see `/api/events`); then `faceValue` is required'),
    ),
  ),
  faceValue: v.optional(FaceValue),
  section: SeatPart('Section'),
  row: SeatPart('Row'),
  seat: SeatPart('Seat'),
})

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
