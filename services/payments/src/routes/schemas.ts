import * as v from 'valibot'

export const PayBody = v.object({
  orderId: v.pipe(v.string('Order id must be a string'), v.uuid('Order id must be a valid id')),
  token: v.pipe(
    v.string('Token must be a string'),
    v.trim(),
    v.nonEmpty('A card token is required'),
    v.maxLength(255, 'Token must be at most 255 characters'),
  ),
})
