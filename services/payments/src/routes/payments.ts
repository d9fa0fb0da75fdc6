import { type AppEnv, idempotency, requireAuth, userOf, validate } from '@twtix/common'
import { Hono } from 'hono'
import { payOrder } from '../commands/pay-order.ts'
import { idempotencyKeys } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { PayBody } from './schemas.ts'

export function paymentsRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()
  const idempotent = idempotency({ db: deps.db, table: idempotencyKeys, clock: deps.clock })

  routes.post('/', requireAuth, idempotent, validate('json', PayBody), async (c) => {
    const body = c.req.valid('json')
    const payment = await payOrder(deps, {
      userId: userOf(c).id,
      orderId: body.orderId,
      token: body.token,
      idempotencyKey: c.req.header('Idempotency-Key'),
    })
    return c.json(payment, 201)
  })

  return routes
}
