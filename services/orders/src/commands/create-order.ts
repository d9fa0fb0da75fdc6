import {
  BadRequestError,
  ConflictError,
  createEnvelope,
  isUniqueViolation,
  NotFoundError,
  outboxInsert,
  outboxRow,
  rowsOf,
  rowValues,
  statement,
  TooManyRequestsError,
  type Tx,
} from '@twtix/common'
import { getTableColumns, sql } from 'drizzle-orm'
import { events, idempotencyKeys, type Order, orders, outbox } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type OrderingContext, orderingContext } from '../queries/ordering-context.ts'
import { type OrderView, orderView } from '../views.ts'
import { feesOf } from './fees.ts'

export type CreateOrderInput = {
  userId: string
  ticketId: string
  /** What the buyer saw, when the client sent it: the order is refused if the ticket changed. */
  expectedPrice?: number
  ticketVersion?: number
  correlationId?: string
}

export const TICKET_CHANGED = 'The ticket changed since you saw it; look at it again'

export const ALREADY_RESERVED = 'Ticket is already reserved'

export const SALES_ENDED = 'Sales for this event have ended: it has started'

export const EVENT_CANCELLED = 'This event has been cancelled'

/** What the route already read (refuseHeldTicket), and when: the command need not read it again. */
export type OrderingRead = {
  context: OrderingContext | undefined
  now: Date
  /** Nothing but the ticket's hold refuses it, and this request alone may place it at once. */
  mayPlace?: boolean
}

/**
 * Reserves a ticket for the buyer. Whether someone else holds it is decided by the partial
 * unique index on orders(ticket_id): the insert simply does nothing when an active order exists,
 * so fifty buyers racing for one ticket get exactly one order. The order and its order.created
 * event are written in the caller's transaction, in one statement. The ticket and the buyer's
 * limits are read in one statement, or taken from `read` (the same statement, made by the route
 * just before: neither read locks anything, so reading it inside the transaction is no safer).
 */
export async function createOrder(
  deps: Deps,
  tx: Tx,
  input: CreateOrderInput,
  read?: OrderingRead,
): Promise<OrderView> {
  const now = read?.now ?? deps.clock()
  const context = read ? read.context : await orderingContext(tx.db, deps, input, now)
  refuseUnorderable(deps, context, input, now)
  const { view, values } = newOrder(deps, input, context, now)
  const [placed] = rowsOf<Placed>(await placeOrder(tx.db, { ...values, ...NO_KEY }))
  if (!placed?.written) {
    if (placed?.cancelled) throw new BadRequestError(EVENT_CANCELLED)
    throw new HeldTicketError()
  }
  tx.enqueued = true
  deps.logger.info('order created', { orderId: view.id, ticketId: view.ticket.id })
  return view
}

/** The request's Idempotency-Key, under which placeOrderAtOnce stores its answer. */
export type OrderKey = { key: string; requestHash: string }

/**
 * Places an order that the route's read found nothing but the ticket's hold would refuse, in one
 * statement and no transaction: the order, its order.created row and, with an Idempotency-Key,
 * the key with its answer (201 and the order) commit together, where the full path (createOrder
 * in idempotentTransaction) takes a transaction of five round trips for the same rows. Refused
 * (HeldTicketError) when another order holds the ticket or is being placed, as the full path would
 * refuse it. Undefined when it wrote nothing for another reason, and the full path then decides,
 * as if this had not been tried:
 * - the key was claimed since the read (a retry of this request, or another with the same key):
 *   its insert conflicts and the whole statement fails, or the statement sees the key committed
 *   (the ticket then held by that request's order), and the full path replays or refuses it;
 * - the ticket's event was cancelled: the full path gives that refusal and stores it.
 * A retry sent to another replica while this request's statement runs is refused as held for
 * that moment (not stored), where the full path would wait and replay: a retry after it replays.
 */
export async function placeOrderAtOnce(
  deps: Deps,
  input: CreateOrderInput,
  read: OrderingRead & { context: OrderingContext },
  key?: OrderKey,
): Promise<OrderView | undefined> {
  const { view, values } = newOrder(deps, input, read.context, read.now)
  const keyed = key
    ? { idempotencyKey: key.key, requestHash: key.requestHash, answer: JSON.stringify(view) }
    : NO_KEY
  let placed: Placed | undefined
  try {
    ;[placed] = rowsOf<Placed>(await placeOrder(deps.db, { ...values, ...keyed }))
  } catch (err) {
    if (isUniqueViolation(err)) return undefined
    throw err
  }
  if (!placed?.written) {
    // A loser who read before the winner's commit: refused here, without a transaction.
    if (!placed?.cancelled && !placed?.keyTaken) throw new HeldTicketError()
    return undefined
  }
  deps.relay?.wake()
  deps.logger.info('order created', { orderId: view.id, ticketId: view.ticket.id })
  return view
}

type Placed = { written: boolean; cancelled: boolean; keyTaken: boolean }

const NO_KEY = { idempotencyKey: null, requestHash: null, answer: null }

/** The order a request places, as stored and as answered, and its statement's values. */
function newOrder(deps: Deps, input: CreateOrderInput, context: OrderingContext, now: Date) {
  const { ticket } = context
  const fees = feesOf(deps.config, ticket.price)
  const order: Order = {
    id: crypto.randomUUID(),
    userId: input.userId,
    ticketId: ticket.id,
    status: 'created',
    expiresAt: new Date(now.getTime() + deps.config.ORDER_HOLD_SECONDS * 1000),
    version: 0,
    createdAt: now,
    price: ticket.price,
    title: ticket.title,
    paymentError: null,
    paymentErrorAt: null,
    refundedAt: null,
    endedAt: null,
    ...fees,
  }
  const view = orderView(order, ticket)
  const event = outboxRow(
    createEnvelope(
      'order.created',
      {
        id: view.id,
        userId: view.userId,
        status: view.status,
        expiresAt: view.expiresAt,
        version: view.version,
        ticket: view.ticket,
        sellerId: ticket.userId,
        eventId: eventIdOf(ticket),
        ...fees,
      },
      { occurredAt: now, correlationId: input.correlationId },
    ),
  )
  return {
    view,
    values: { ...rowValues(orders, order), ...event, ticketEventId: eventIdOf(ticket) },
  }
}

const p = (name: string) => sql.placeholder(name)

/** The advisory locks' first key: "tkt" in ASCII, for orders of one ticket being placed. */
const TICKET_LOCKS = sql.raw(String(0x746b74))

/**
 * The order and its outbox row in one round trip: the row is written only if the order was, and
 * so is the Idempotency-Key's row with its answer when one is given (placeOrderAtOnce; a key
 * already there fails the statement, the order with it). Its SQL is built once, not per order
 * (drizzle's query building was a fifth of the process's CPU).
 * It answers whether the order was written and, if not, whether its event was cancelled.
 *
 * A flash sale's losers do not queue: the statement first tries a transaction-scoped advisory
 * lock on the ticket, and without it (another order of this ticket is being placed at this
 * moment) inserts nothing at once, where the insert would wait for that order's commit on the
 * unique index and then conflict. The index still decides who wins; the lock only spares losers
 * the wait, and a held connection each. (The two-key form keeps these locks apart from the
 * relay's, which take one bigint.)
 *
 * The event's replica row is key-share locked in the same statement: a cancellation cascade holds
 * it FOR UPDATE until it commits, so an order whose read saw the event scheduled either commits
 * before the cascade looks for open orders (and is cancelled by it), or waits and sees `cancelled`
 * here, writes no outbox row and is refused (the caller's transaction rolls back).
 */
const placeOrder = statement(sql`
  with turn as materialized (
    select pg_try_advisory_xact_lock(${TICKET_LOCKS}, hashtext(${p('ticketId')}::text)) as ours
  ),
  ev as (
    select ${events.status} as status from ${events}
    where ${events.id} = ${p('ticketEventId')}::uuid for key share
  ),
  placed as (
    insert into ${orders} (${sql.join(
      Object.values(getTableColumns(orders)).map((column) => sql.identifier(column.name)),
      sql`, `,
    )})
    select ${sql.join(
      Object.keys(getTableColumns(orders)).map((key) => p(key)),
      sql`, `,
    )}
    where (select ours from turn)
    on conflict do nothing
    returning id
  ),
  sent as (
    ${outboxInsert(outbox, sql`placed where not exists (select 1 from ev where status = 'cancelled')`)}
    returning 1
  ),
  claimed as (
    insert into ${idempotencyKeys} (user_id, key, request_hash, status, body, created_at)
    select ${p('userId')}, ${p('idempotencyKey')}::text, ${p('requestHash')}::text, 201,
      ${p('answer')}::text, ${p('createdAt')}::timestamptz
    from sent where ${p('idempotencyKey')}::text is not null
  )
  select exists (select 1 from sent) as written,
    exists (select 1 from ev where status = 'cancelled') as cancelled,
    exists (
      select 1 from ${idempotencyKeys}
      where ${idempotencyKeys.userId} = ${p('userId')}
        and ${idempotencyKeys.key} = ${p('idempotencyKey')}::text
    ) as "keyTaken"`)

/**
 * Another order holds the ticket (or is being placed at this moment). A retry with the same
 * Idempotency-Key runs again rather than replaying this: the ticket may be free by then, as it is
 * for a loser told before its transaction (refuseHeldTicket).
 */
export class HeldTicketError extends BadRequestError {
  override readonly keptForRetries = false
  constructor() {
    super(ALREADY_RESERVED)
  }
}

/**
 * Throws what this order is refused for, in the order a buyer should hear it: an unknown ticket,
 * their own, a sold one, one whose event has started, one that changed since they saw it, then the
 * buyer's own limits. Denial of inventory: a buyer holds at most ORDERS_OPEN_PER_USER unpaid
 * orders, and may not order again a ticket whose order of theirs was cancelled or expired within
 * the cool-down; both answer 429 with the wait. Two of one buyer's orders placed at the same
 * instant may both pass the first check: the limit bounds abuse, it is not a guarantee like the
 * ticket's (the unique index).
 */
export function refuseUnorderable(
  deps: Pick<Deps, 'config'>,
  context: OrderingContext | undefined,
  input: CreateOrderInput,
  now: Date,
): asserts context is OrderingContext {
  if (!context) throw new NotFoundError('Ticket not found')
  const { ticket } = context
  if (ticket.userId === input.userId) throw new BadRequestError('Cannot order your own ticket')
  if (ticket.status === 'sold') throw new BadRequestError('Ticket has already been sold')
  if (context.eventCancelled) throw new BadRequestError(EVENT_CANCELLED)
  if (ticket.eventStartsAt && ticket.eventStartsAt <= now) {
    throw new BadRequestError(SALES_ENDED)
  }
  const changed =
    (input.expectedPrice !== undefined && input.expectedPrice !== ticket.price) ||
    (input.ticketVersion !== undefined && input.ticketVersion !== ticket.version)
  if (changed) throw new ConflictError(TICKET_CHANGED)
  if (context.openUntil) {
    const limit = deps.config.ORDERS_OPEN_PER_USER
    throw new TooManyRequestsError(
      secondsUntil(context.openUntil, now),
      `You have ${limit} unpaid orders: pay for or cancel one first`,
    )
  }
  if (context.releasedAt) {
    const until = new Date(context.releasedAt.getTime() + deps.config.ORDER_COOLDOWN_SECONDS * 1000)
    throw new TooManyRequestsError(
      secondsUntil(until, now),
      'Your last order of this ticket ended moments ago; you can order it again later',
    )
  }
}

/**
 * The ticket's event, when the replica keeps it (issue 11's event columns in the ticket replica
 * arrive with the event cascade); payments dates the seller's payout from the event's end.
 */
function eventIdOf(ticket: object): string | null {
  const { eventId } = ticket as { eventId?: string | null }
  return eventId ?? null
}

const secondsUntil = (at: Date, now: Date) => (at.getTime() - now.getTime()) / 1000
