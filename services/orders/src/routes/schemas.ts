import * as v from 'valibot'

export const CreateOrderBody = v.object({
  ticketId: v.pipe(
    v.string('ticketId must be a string'),
    v.nonEmpty('ticketId is required'),
    v.uuid('ticketId must be a valid id'),
  ),
})

export const OrderParams = v.object({
  id: v.pipe(v.string(), v.uuid('Order id must be a valid id')),
})
