import { type AppEnv, BadRequestError } from '@twtix/common'
import { Hono } from 'hono'
import { applyStripeEvent } from '../commands/apply-stripe-event.ts'
import type { Deps } from '../deps.ts'
import { webhookDoc } from './docs.ts'

/** Stripe's calls: authenticated by the signature over the raw body, not by a session. */
export function webhookRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()

  routes.post('/webhook', webhookDoc, async (c) => {
    if (!deps.webhooks) throw new BadRequestError('Webhooks are not configured')
    const signature = c.req.header('Stripe-Signature')
    if (!signature) throw new BadRequestError('Missing Stripe-Signature header')
    const event = await deps.webhooks.verify(await c.req.text(), signature)
    const outcome = await applyStripeEvent(deps, event)
    deps.logger.info('stripe webhook', { eventId: event.id, type: event.type, outcome })
    return c.json({ received: true }, 200)
  })

  return routes
}
