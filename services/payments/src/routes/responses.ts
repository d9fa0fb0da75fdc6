import * as v from 'valibot'

const Id = v.pipe(v.string(), v.uuid())

/** A payment as `POST /api/payments` returns it (see `PaymentView`). */
export const PaymentBody = v.pipe(
  v.object({
    id: Id,
    orderId: Id,
    status: v.pipe(
      v.picklist(['succeeded']),
      v.description('A 201 always carries a succeeded payment: a declined card is a 402'),
    ),
    amount: v.pipe(
      v.number(),
      v.integer(),
      v.description("What was charged, in yen: the order's total (price plus buyer fee)"),
    ),
    currency: v.literal('JPY'),
    stripeId: v.pipe(
      v.nullable(v.string()),
      v.description("The gateway's id of the charge (a Stripe PaymentIntent id)"),
    ),
  }),
  v.metadata({ ref: 'Payment' }),
)

export const WebhookReceivedBody = v.object({ received: v.literal(true) })

export const examples = {
  payment: {
    id: '7e57e57e-0000-4000-8000-00000000e57e',
    orderId: 'ab12cd34-ef56-4789-8abc-def012345678',
    status: 'succeeded',
    amount: 10500,
    currency: 'JPY',
    stripeId: 'pi_3QxYzAbCdEfGhIjK0a1b2c3d',
  },
  stripeEvent: {
    id: 'evt_3QxYzAbCdEfGhIjK0e1f2g3h',
    object: 'event',
    type: 'payment_intent.succeeded',
    data: {
      object: {
        id: 'pi_3QxYzAbCdEfGhIjK0a1b2c3d',
        object: 'payment_intent',
        status: 'succeeded',
        metadata: {
          orderId: 'ab12cd34-ef56-4789-8abc-def012345678',
          paymentId: '7e57e57e-0000-4000-8000-00000000e57e',
        },
      },
    },
  },
}
