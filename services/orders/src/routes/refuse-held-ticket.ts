import { type AppEnv, userOf, validIdempotencyKey } from '@twtix/common'
import { createMiddleware } from 'hono/factory'
import type * as v from 'valibot'
import {
  type CreateOrderInput,
  HeldTicketError,
  type OrderingRead,
  refuseUnorderable,
} from '../commands/create-order.ts'
import type { Deps } from '../deps.ts'
import { type OrderingContext, orderingContext } from '../queries/ordering-context.ts'
import type { CreateOrderBody } from './schemas.ts'

type Body = { out: { json: v.InferOutput<typeof CreateOrderBody> } }

/** The read handed on to createOrder, which then need not make it again. */
export type OrderingEnv = AppEnv & { Variables: { ordering: OrderingRead } }

/** An order of a ticket being placed by this process, and whether it came to hold the ticket. */
type Placing = { userId: string; placed: Promise<boolean> }

/**
 * A flash sale's losers are told at once, from one statement, with no transaction and no
 * Idempotency-Key claim (a claim is written only for a request that can still win):
 * - when an active order already holds the ticket, and nothing else would refuse this order
 *   first, that statement answers 400;
 * - when it does not yet, but another buyer's order of the ticket is being placed by this process,
 *   the request waits for that order's transaction and is told 400 if it came to hold the ticket
 *   (the statement, made meanwhile, has nothing else to refuse). A crowd of buyers then costs one
 *   transaction per process instead of one each; buyers on other replicas meet the advisory lock
 *   of the order statement instead (createOrder).
 * A key the buyer already used goes on to the idempotency middleware, which replays its stored
 * answer; so does another request of the same buyer. What was read is kept for the order's
 * transaction (`c.get('ordering')`).
 */
export function refuseHeldTicket(deps: Deps) {
  const placing = new Map<string, Placing>()
  return createMiddleware<OrderingEnv, string, Body>(async function refuseHeld(c, next) {
    const body = c.req.valid('json')
    const input = { ...body, userId: userOf(c).id }
    const now = deps.clock()
    const key = c.req.header('Idempotency-Key')
    // A malformed key is refused for itself, by the idempotency middleware, whatever the ticket.
    if (key !== undefined && !validIdempotencyKey(key)) return next()
    const context = await orderingContext(deps.db, deps, input, now, key)
    if (context && !context.keyed) {
      const ahead = placing.get(input.ticketId)
      const held = context.held || (ahead && ahead.userId !== input.userId && (await ahead.placed))
      if (held && refusedForHoldOnly(deps, context, input, now)) throw new HeldTicketError()
    }
    c.set('ordering', { context, now })
    if (placing.has(input.ticketId)) return next()
    let settle: (placed: boolean) => void = () => {}
    placing.set(input.ticketId, {
      userId: input.userId,
      placed: new Promise((resolve) => {
        settle = resolve
      }),
    })
    try {
      await next()
    } finally {
      placing.delete(input.ticketId)
      // A replayed 201 is an earlier order, which may no longer hold the ticket.
      settle(c.res.status === 201 && !c.res.headers.has('Idempotent-Replayed'))
    }
  })
}

/** Whether nothing but the hold refuses this order: another refusal comes first otherwise. */
function refusedForHoldOnly(
  deps: Deps,
  context: OrderingContext | undefined,
  input: CreateOrderInput,
  now: Date,
) {
  try {
    refuseUnorderable(deps, context, input, now)
    return true
  } catch {
    // The full path gives that refusal (and stores it under the key).
    return false
  }
}
