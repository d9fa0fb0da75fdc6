import {
  describeRoute,
  errorResponse,
  idempotencyErrors,
  idempotencyKeyHeader,
  idempotentReplayedHeader,
  jsonResponse,
  payloadTooLarge,
  retryAfter,
  type ServiceInfo,
  serverError,
  serviceUnavailable,
  signedIn,
  unauthorized,
} from '@twtix/common/openapi'
import { MIN_AMOUNT_YEN, TOO_MANY_DECLINES } from '../commands/start-payment.ts'
import { examples, PaymentBody, WebhookReceivedBody } from './responses.ts'

export const paymentsInfo: ServiceInfo = {
  title: 'twtix payments',
  description: 'Paying for an order, paying sellers out, and the payment gateway calling back.',
  tag: { name: 'payments', description: 'Paying for orders' },
  moreTags: [
    {
      name: 'payouts',
      description: 'Sellers onboard with Stripe Connect and are paid after the event',
    },
  ],
}

export const payOrderDoc = describeRoute({
  operationId: 'payOrder',
  tags: ['payments'],
  summary: 'Pay for an order',
  description:
    "Charges the order's total in yen (the price and the buyer fee) to the card behind `token` (a Stripe token; offline, " +
    '`tok_visa` succeeds and `tok_chargeDeclined` is declined). Only the buyer, only while the ' +
    'order holds its ticket. The order becomes `complete` and the ticket `sold` shortly after. ' +
    'An order placed a moment ago may be unknown here for a moment (404). Send an ' +
    '`Idempotency-Key` to make a retry safe. Card testing is capped: an order takes 5 declines ' +
    '(the fifth cancels it), a buyer 15 a day, and 10 attempts a minute (429).',
  security: signedIn,
  parameters: [idempotencyKeyHeader],
  responses: {
    201: jsonResponse('Paid', PaymentBody, examples.payment, idempotentReplayedHeader),
    400: errorResponse('Bad input, or the order cannot be paid for', {
      cancelled: 'Cannot pay for a cancelled order',
      paid: 'Order is already paid',
      expired: 'Order has expired',
      tooSmall: `The amount must be at least ${MIN_AMOUNT_YEN} yen`,
      refunded: 'The order was cancelled or already paid; this payment has been refunded',
      noToken: { message: 'A card token is required', field: 'token' },
      declines: TOO_MANY_DECLINES,
    }),
    401: unauthorized,
    402: errorResponse('The card was declined', { declined: 'Your card was declined.' }),
    403: errorResponse('Someone else placed this order', {
      notOwner: 'You cannot pay for this order',
    }),
    404: errorResponse('No order has this id (yet)', { notFound: 'Order not found' }),
    409: errorResponse(
      'A payment for this order is still being processed, or a request with this ' +
        '`Idempotency-Key` is still running',
      {
        processing: 'This payment is still being processed',
        inProgress: 'A request with this Idempotency-Key is in progress',
      },
    ),
    422: idempotencyErrors[422],
    413: payloadTooLarge,
    429: errorResponse(
      'Too many declined payments or attempts by this buyer: wait `Retry-After` seconds',
      {
        declines: 'Too many declined payments; try again later',
        rate: 'Too many payment attempts in a minute, try again shortly',
      },
      retryAfter(3600),
    ),
    500: serverError,
    503: serviceUnavailable,
  },
})

export const webhookDoc = describeRoute({
  operationId: 'receiveStripeEvent',
  tags: ['payments'],
  summary: 'Stripe webhook',
  description:
    "Stripe's calls, not a client's: authenticated by the `Stripe-Signature` over the raw body. " +
    'Handles `payment_intent` events idempotently; a delivery of an event already applied is ' +
    'answered 200 again. Configured only with `STRIPE_WEBHOOK_SECRET`.',
  parameters: [
    {
      in: 'header',
      name: 'Stripe-Signature',
      required: true,
      description: "Stripe's signature of the raw body",
      schema: { type: 'string' },
      example: 't=1764063000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
    },
  ],
  requestBody: {
    required: true,
    description: 'A Stripe event, exactly as Stripe sent it',
    content: {
      'application/json': {
        schema: { type: 'object', description: 'A Stripe event' },
        example: examples.stripeEvent,
      },
    },
  },
  responses: {
    200: jsonResponse('Received', WebhookReceivedBody, { received: true }),
    400: errorResponse('Not a genuine Stripe call, or webhooks are off', {
      noSignature: 'Missing Stripe-Signature header',
      badSignature: 'Invalid Stripe signature',
      notConfigured: 'Webhooks are not configured',
    }),
    413: payloadTooLarge,
    500: serverError,
    503: serviceUnavailable,
  },
})
