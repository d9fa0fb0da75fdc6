import { type AppEnv, userOf, validIdempotencyKey } from '@twtix/common'
import { createMiddleware } from 'hono/factory'
import type * as v from 'valibot'
import { HeldTicketError, type OrderingRead, refuseUnorderable } from '../commands/create-order.ts'
import type { Deps } from '../deps.ts'
import { orderingContext } from '../queries/ordering-context.ts'
import type { CreateOrderBody } from './schemas.ts'

type Body = { out: { json: v.InferOutput<typeof CreateOrderBody> } }

/** The read handed on to createOrder, which then need not make it again. */
export type OrderingEnv = AppEnv & { Variables: { ordering: OrderingRead } }

/**
 * A flash sale's losers are told at once: when an active order already holds the ticket, and
 * nothing else would refuse this order first, one statement answers 400 with no transaction and
 * no Idempotency-Key claim (a claim is written only for a request that can still win). A key the
 * buyer already used goes on to the idempotency middleware, which replays its stored answer. What
 * was read is kept for the order's transaction (`c.get('ordering')`).
 */
export function refuseHeldTicket(deps: Deps) {
  return createMiddleware<OrderingEnv, string, Body>(async function refuseHeld(c, next) {
    const body = c.req.valid('json')
    const input = { ...body, userId: userOf(c).id }
    const now = deps.clock()
    const key = c.req.header('Idempotency-Key')
    // A malformed key is refused for itself, by the idempotency middleware, whatever the ticket.
    if (key !== undefined && !validIdempotencyKey(key)) return next()
    const context = await orderingContext(deps.db, deps, input, now, key)
    if (context?.held && !context.keyed) {
      let refusedFirst = false
      try {
        refuseUnorderable(deps, context, input, now)
      } catch {
        // Another refusal comes first: the full path gives it (and stores it under the key).
        refusedFirst = true
      }
      if (!refusedFirst) throw new HeldTicketError()
    }
    c.set('ordering', { context, now })
    await next()
  })
}
