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
