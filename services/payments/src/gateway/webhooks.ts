import { BadRequestError } from '@twtix/common'
import Stripe from 'stripe'

/** The part of a Stripe event twtix reads; `data.object` is the PaymentIntent or Charge. */
export type StripeEvent = { id: string; type: string; data: { object: unknown } }

export type WebhookVerifier = {
  /** Checks the Stripe-Signature over the raw body; a 400 when it does not match. */
  verify(rawBody: string, signature: string): Promise<StripeEvent>
}

/** Verifies with the async (Web Crypto capable) path so it runs on Node and Deno alike. */
export function createWebhookVerifier(secret: string): WebhookVerifier {
  return {
    async verify(rawBody, signature) {
      const event = await Stripe.webhooks
        .constructEventAsync(rawBody, signature, secret)
        .catch(() => {
          throw new BadRequestError('Invalid Stripe signature')
        })
      return { id: event.id, type: event.type, data: { object: event.data.object } }
    },
  }
}
