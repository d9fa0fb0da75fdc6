import {
  type AppEnv,
  createRateLimiter,
  idempotency,
  perUserLimit,
  requireAuth,
  userOf,
} from '@twtix/common'
import { serveRoutesDocument, validate } from '@twtix/common/openapi'
import { Hono } from 'hono'
import { payOrder } from '../commands/pay-order.ts'
import { idempotencyKeys } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { paymentsInfo, payOrderDoc } from './docs.ts'
import { payoutsRoutes } from './payouts.ts'
import { examples } from './responses.ts'
import { PayBody } from './schemas.ts'
import { webhookRoutes } from './webhook.ts'

export function paymentsRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()
  const idempotent = idempotency({ db: deps.db, table: idempotencyKeys, clock: deps.clock })

  const example = { orderId: examples.payment.orderId, token: 'tok_visa' }
  const attempts = perUserLimit(
    createRateLimiter({
      limit: deps.config.RATE_LIMIT_PAYMENTS_PER_MINUTE,
      windowMs: 60_000,
      clock: deps.clock,
    }),
    'Too many payment attempts in a minute, try again shortly',
    // The attempts that reached the card's issuer: charged or declined.
    (status) => status === 201 || status === 402,
  )

  routes.post(
    '/',
    payOrderDoc,
    requireAuth,
    attempts,
    idempotent,
    validate('json', PayBody, { example }),
    async (c) => {
      const body = c.req.valid('json')
      const payment = await payOrder(deps, {
        userId: userOf(c).id,
        orderId: body.orderId,
        token: body.token,
        idempotencyKey: c.req.header('Idempotency-Key'),
      })
      return c.json(payment, 201)
    },
  )

  // The service's document covers the webhook too, which the app mounts beside these routes: a
  // second instance of its routes is only read for their documentation.
  routes.get(
    '/openapi.json',
    serveRoutesDocument(
      () => [routes, webhookRoutes(deps)],
      paymentsInfo,
      () => ({ '/api/payouts': [payoutsRoutes(deps)] }),
    ),
  )

  return routes
}
