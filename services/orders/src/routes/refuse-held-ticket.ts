import {
  type AppEnv,
  type IdempotencyOptions,
  readKeyedRequest,
  userOf,
  validIdempotencyKey,
} from '@twtix/common'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type * as v from 'valibot'
import {
  type CreateOrderInput,
  HeldTicketError,
  type OrderingRead,
  placeOrderAtOnce,
  refuseUnorderable,
} from '../commands/create-order.ts'
import type { Deps } from '../deps.ts'
import { type OrderingContext, orderingContext } from '../queries/ordering-context.ts'
import type { CreateOrderBody } from './schemas.ts'

type Body = { out: { json: v.InferOutput<typeof CreateOrderBody> } }

/** The read handed on to createOrder, which then need not make it again. */
export type OrderingEnv = AppEnv & { Variables: { ordering: OrderingRead } }

/**
 * A flash sale's losers are told at once, from one statement, with no transaction and no
 * Idempotency-Key claim (a claim is written only for a request that can still win). After that
 * statement, when nothing but the ticket's hold would refuse the order, the request is refused
 * with 400 if
 * - an active order already holds the ticket, or
 * - another buyer's order of the ticket, which also passed every check, is being placed by this
 *   process at this moment: what buyers on other replicas are told by the order statement's
 *   advisory lock (createOrder), without a transaction. That order may still fail (its
 *   transaction, the lock held by another replica): then another buyer has the ticket, or the
 *   database failed, and the ticket is free for the next try.
 * A crowd of buyers then costs one transaction per process instead of one each, and no loser
 * waits for the winner. A key the buyer already used goes on to the idempotency middleware,
 * which replays its stored answer; so does a request that something else refuses (the full path
 * gives that refusal and stores it under the key), and another request of the same buyer once
 * the order this process is placing is placed. What was read is kept for the order
 * (`c.get('ordering')`), marked `mayPlace` for the one request that may place it at once
 * (placeOrderAtOnce).
 */
export function refuseHeldTicket(deps: Deps) {
  /** Ticket id → the buyer whose order of it this process is placing, until it is placed. */
  const placing = new Map<string, { userId: string; done: Promise<void> }>()
  return createMiddleware<OrderingEnv, string, Body>(async function refuseHeld(c, next) {
    const body = c.req.valid('json')
    const input = { ...body, userId: userOf(c).id }
    const now = deps.clock()
    const key = c.req.header('Idempotency-Key')
    // A malformed key is refused for itself, by the idempotency middleware, whatever the ticket.
    if (key !== undefined && !validIdempotencyKey(key)) return next()
    const context = await orderingContext(deps.db, deps, input, now, key)
    c.set('ordering', { context, now })
    if (!context || context.keyed || !nothingElseRefuses(deps, context, input, now)) return next()
    const placer = placing.get(input.ticketId)
    if (context.held || (placer !== undefined && placer.userId !== input.userId)) {
      throw new HeldTicketError()
    }
    // The same buyer again (a retry, a double click): once the order being placed is, the full
    // path replays it under a shared key, or refuses a second order of the ticket.
    if (placer !== undefined) {
      await placer.done
      return next()
    }
    let placed = () => {}
    placing.set(input.ticketId, {
      userId: input.userId,
      done: new Promise<void>((resolve) => {
        placed = resolve
      }),
    })
    c.set('ordering', { context, now, mayPlace: true })
    try {
      await next()
    } finally {
      placing.delete(input.ticketId)
      placed()
    }
  })
}

/**
 * The order that refuseHeldTicket let through (`mayPlace`), placed in one statement with its
 * Idempotency-Key's answer (placeOrderAtOnce): a buyer who wins is answered after two round trips,
 * the read and that statement. Anything that statement did not write goes on to the full path.
 */
export function placeAtOnce(deps: Deps, keys: IdempotencyOptions) {
  return createMiddleware<OrderingEnv, string, Body>(async function placeAtOnce(c, next) {
    // Unset for a malformed key, which refuseHeld left to the idempotency middleware.
    const read = c.get('ordering') as OrderingRead | undefined
    if (!read?.mayPlace || !read.context) return next()
    const request = await readKeyedRequest(c, keys)
    const order = await placeOrderAtOnce(
      deps,
      orderInput(c),
      { ...read, context: read.context },
      request,
    )
    return order ? c.json(order, 201) : next()
  })
}

/** The order a validated POST /api/orders asks for, by whom, under the request's id. */
export const orderInput = <E extends AppEnv, P extends string>(
  c: Context<E, P, Body>,
): CreateOrderInput => ({
  ...c.req.valid('json'),
  userId: userOf(c).id,
  correlationId: c.get('requestId'),
})

/** Whether nothing but the ticket's hold can refuse this order: the checks that come first. */
function nothingElseRefuses(
  deps: Deps,
  context: OrderingContext,
  input: CreateOrderInput,
  now: Date,
) {
  try {
    refuseUnorderable(deps, context, input, now)
    return true
  } catch {
    return false
  }
}
