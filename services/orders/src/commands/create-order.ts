import {
  BadRequestError,
  ConflictError,
  createEnvelope,
  enqueue,
  NotFoundError,
  type Tx,
} from '@twtix/common'
import { eq } from 'drizzle-orm'
import { type Order, orders, outbox, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type OrderView, orderView } from '../views.ts'

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

/**
 * Reserves a ticket for the buyer. Whether someone else holds it is decided by the partial
 * unique index on orders(ticket_id): the insert simply does nothing when an active order exists,
 * so fifty buyers racing for one ticket get exactly one order. The order and its order.created
 * event are written in the caller's transaction.
 */
export async function createOrder(deps: Deps, tx: Tx, input: CreateOrderInput): Promise<OrderView> {
  const [ticket] = await tx.db.select().from(tickets).where(eq(tickets.id, input.ticketId))
  if (!ticket) throw new NotFoundError('Ticket not found')
  if (ticket.userId === input.userId) throw new BadRequestError('Cannot order your own ticket')
  if (ticket.status === 'sold') throw new BadRequestError('Ticket has already been sold')
  const changed =
    (input.expectedPrice !== undefined && input.expectedPrice !== ticket.price) ||
    (input.ticketVersion !== undefined && input.ticketVersion !== ticket.version)
  if (changed) throw new ConflictError(TICKET_CHANGED)
  const now = deps.clock()
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
  }
  const placed = await tx.db
    .insert(orders)
    .values(order)
    .onConflictDoNothing()
    .returning({ id: orders.id })
  if (placed.length === 0) throw new BadRequestError(ALREADY_RESERVED)
  const view = orderView(order, ticket)
  await enqueue(
    tx,
    outbox,
    createEnvelope(
      'order.created',
      {
        id: view.id,
        userId: view.userId,
        status: view.status,
        expiresAt: view.expiresAt,
        version: view.version,
        ticket: view.ticket,
      },
      { source: 'orders', occurredAt: now, correlationId: input.correlationId },
    ),
  )
  deps.logger.info('order created', { orderId: order.id, ticketId: ticket.id })
  return view
}
