import { type AppEnv, requireAuth, userOf } from '@twtix/common'
import { validate } from '@twtix/common/openapi'
import { Hono } from 'hono'
import * as v from 'valibot'
import { getOrderTicket } from '../delivery/get-order-ticket.ts'
import type { Deps } from '../deps.ts'
import { getOrderTicketDoc } from './delivery-docs.ts'

const OrderParams = v.object({ id: v.pipe(v.string(), v.uuid('Order id must be a UUID')) })

/**
 * `/api/orders/:id/ticket`, served by tickets (the ingress routes this one path here): the buyer
 * of a paid order fetches what gets them in.
 */
export function orderTicketRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()
  routes.get(
    '/:id/ticket',
    getOrderTicketDoc,
    requireAuth,
    validate('param', OrderParams, { example: { id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' } }),
    async (c) => {
      const ticket = await getOrderTicket(deps, {
        orderId: c.req.valid('param').id,
        userId: userOf(c).id,
      })
      if (ticket.kind !== 'file') return c.json(ticket)
      return c.body(ticket.content as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': ticket.contentType,
        'Content-Disposition': `attachment; filename="${ticket.fileName}"`,
        'Content-Length': String(ticket.content.byteLength),
      })
    },
  )
  return routes
}
