import { BadRequestError } from '@twtix/common'
import Stripe from 'stripe'
import * as v from 'valibot'

/** The part of a Stripe event twtix reads; `data.object` is the PaymentIntent or Charge. */
export type StripeEvent = { id: string; type: string; data: { object: unknown } }

export type WebhookVerifier = {
  /** Checks the Stripe-Signature over the raw body; a 400 when it does not match. */
  verify(rawBody: string, signature: string): Promise<StripeEvent>
}

const EventShape = v.object({
  id: v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,255}$/)),
  type: v.pipe(v.string(), v.regex(/^[\w.]{1,255}$/)),
  data: v.object({ object: v.unknown() }),
})

/** Whether any string in the event holds NUL, which no PostgreSQL text column can store. */
function holdsNul(value: unknown): boolean {
  const stack = [value]
  while (stack.length > 0) {
    const next = stack.pop()
    if (typeof next === 'string' && next.includes('\u0000')) return true
    if (next !== null && typeof next === 'object') {
      for (const inner of Object.values(next)) stack.push(inner)
    }
  }
  return false
}

/**
 * Verifies with the async (Web Crypto capable) path so it runs on Node and Deno alike. A signed
 * body that is not an event of Stripe's shape is refused too: it is no event to apply.
 */
export function createWebhookVerifier(secret: string): WebhookVerifier {
  return {
    async verify(rawBody, signature) {
      const event: unknown = await Stripe.webhooks
        .constructEventAsync(rawBody, signature, secret)
        .catch(() => {
          throw new BadRequestError('Invalid Stripe signature')
        })
      const parsed = v.safeParse(EventShape, event)
      if (!parsed.success || holdsNul(event)) throw new BadRequestError('Malformed Stripe event')
      const { id, type, data } = parsed.output
      return { id, type, data: { object: data.object } }
    },
  }
}
