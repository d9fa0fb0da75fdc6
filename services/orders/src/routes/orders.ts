import {
  type AppEnv,
  BadRequestError,
  createRateLimiter,
  idempotentTransaction,
  inTransaction,
  perUserLimit,
  requireAuth,
  userOf,
} from '@twtix/common'
import { serveRoutesDocument, validate } from '@twtix/common/openapi'
import { Hono } from 'hono'
import { cancelOrder } from '../commands/cancel-order.ts'
import { createOrder } from '../commands/create-order.ts'
import { openClaim } from '../commands/open-claim.ts'
import { idempotencyKeys } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { findOwnOrder } from '../queries/find-own-order.ts'
import { listOrders } from '../queries/list-orders.ts'
import { openClaimDoc } from './claim-docs.ts'
import { claimsRoutes } from './claims.ts'
import { cancelOrderDoc, createOrderDoc, getOrderDoc, listOrdersDoc, ordersInfo } from './docs.ts'
import { orderInput, placeAtOnce, refuseHeldTicket } from './refuse-held-ticket.ts'
import { examples } from './responses.ts'
import { CreateOrderBody, OpenClaimBody, OrderParams } from './schemas.ts'

/** `/api/orders`; its document also describes `claims`, the routes it serves at `/api/claims`. */
export function ordersRoutes(deps: Deps, claims: Hono<AppEnv> = claimsRoutes(deps)) {
  const routes = new Hono<AppEnv>()
  const id = { example: { id: examples.order.id } }
  const keys = { db: deps.db, table: idempotencyKeys, clock: deps.clock }
  const ordering = perUserLimit(
    createRateLimiter({
      limit: deps.config.RATE_LIMIT_ORDERS_PER_MINUTE,
      windowMs: 60_000,
      clock: deps.clock,
    }),
    'Too many orders in a minute, try again shortly',
    (status) => status === 201,
  )

  // Before `/:id`, which would take `openapi.json` for a malformed order id.
  routes.get(
    '/openapi.json',
    serveRoutesDocument(
      () => [routes],
      ordersInfo,
      () => ({ '/api/claims': [claims] }),
    ),
  )

  routes.post(
    '/',
    createOrderDoc,
    requireAuth,
    ordering,
    validate('json', CreateOrderBody, { example: { ticketId: examples.order.ticket.id } }),
    refuseHeldTicket(deps),
    placeAtOnce(deps, keys),
    // The full path: the key's claim, the order and the stored answer commit together.
    idempotentTransaction({ ...keys, transaction: (work) => inTransaction(deps, work) }),
    async (c) => {
      const order = await createOrder(deps, c.var.tx, orderInput(c), c.get('ordering'))
      return c.json(order, 201)
    },
  )

  routes.get('/', listOrdersDoc, requireAuth, async (c) =>
    c.json(await listOrders(deps, { userId: userOf(c).id })),
  )

  routes.get('/:id', getOrderDoc, requireAuth, validate('param', OrderParams, id), async (c) => {
    const orderId = c.req.valid('param').id
    return c.json(await findOwnOrder(deps, { orderId, userId: userOf(c).id }))
  })

  routes.delete(
    '/:id',
    cancelOrderDoc,
    requireAuth,
    validate('param', OrderParams, id),
    async (c) => {
      const orderId = c.req.valid('param').id
      await findOwnOrder(deps, { orderId, userId: userOf(c).id })
      const outcome = await inTransaction(deps, (tx) =>
        cancelOrder(deps, tx, { orderId, correlationId: c.get('requestId') }),
      )
      if (outcome === 'complete') throw new BadRequestError('Cannot cancel a completed order')
      return c.body(null, 204)
    },
  )

  routes.post(
    '/:id/claims',
    openClaimDoc,
    requireAuth,
    validate('param', OrderParams, id),
    validate('json', OpenClaimBody, { example: { reason: 'not received' } }),
    async (c) => {
      const input = {
        ...c.req.valid('json'),
        orderId: c.req.valid('param').id,
        userId: userOf(c).id,
        correlationId: c.get('requestId'),
      }
      return c.json(await inTransaction(deps, (tx) => openClaim(deps, tx, input)), 201)
    },
  )

  return routes
}
