import { BadRequestError, createEnvelope, NotFoundError, outboxRow, rowsOf } from '@twtix/common'
import { eq, sql } from 'drizzle-orm'
import { type Order, orders, outbox, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type OrderView, orderView } from '../views.ts'

export type CreateOrderInput = { userId: string; ticketId: string; correlationId?: string }

export const ALREADY_RESERVED = 'Ticket is already reserved'

/**
 * Reserves a ticket for the buyer. Whether someone else holds it is decided by the partial
 * unique index on orders(ticket_id): the insert simply does nothing when an active order exists,
 * so fifty buyers racing for one ticket get exactly one order.
 *
 * The order and its order.created outbox row are written by one statement, atomic on its own:
 * two round trips in all (the ticket, then the statement) where a transaction took five, and a
 * losing buyer waits for the winner's statement only, not for a whole transaction.
 */
export async function createOrder(deps: Deps, input: CreateOrderInput): Promise<OrderView> {
  const [ticket] = await deps.db.select().from(tickets).where(eq(tickets.id, input.ticketId))
  if (!ticket) throw new NotFoundError('Ticket not found')
  if (ticket.userId === input.userId) throw new BadRequestError('Cannot order your own ticket')
  if (ticket.status === 'sold') throw new BadRequestError('Ticket has already been sold')
  const now = deps.clock()
  const order: Order = {
    id: crypto.randomUUID(),
    userId: input.userId,
    ticketId: ticket.id,
    status: 'created',
    expiresAt: new Date(now.getTime() + deps.config.ORDER_HOLD_SECONDS * 1000),
    version: 0,
    createdAt: now,
    paymentError: null,
    paymentErrorAt: null,
    refundedAt: null,
  }
  const view = orderView(order, ticket)
  const event = createEnvelope(
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
  )
  const row = outboxRow(event)
  const written = rowsOf<{ id: string }>(
    await deps.db.execute(sql`
      with placed as (
        insert into ${orders} (id, user_id, ticket_id, status, expires_at, version, created_at)
        values (${order.id}, ${order.userId}, ${order.ticketId}, ${order.status},
          ${view.expiresAt}::timestamptz, ${order.version}, ${view.createdAt}::timestamptz)
        on conflict do nothing
        returning id
      )
      insert into ${outbox} (event_id, type, topic, key, payload)
      select ${row.eventId}::uuid, ${row.type}, ${row.topic}, ${row.key}, ${row.payload} from placed
      returning event_id as id`),
  )
  if (written.length === 0) throw new BadRequestError(ALREADY_RESERVED)
  deps.relay?.wake()
  deps.logger.info('order created', { orderId: order.id, ticketId: ticket.id })
  return view
}
