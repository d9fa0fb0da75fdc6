import { ForbiddenError, NotFoundError } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { orders } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type OrderView, orderView } from '../views.ts'
import { parseClaim, selectOrdersWithTickets } from './order-with-ticket.ts'

/** The order if it exists (404) and belongs to `userId` (403). */
export async function findOwnOrder(
  deps: Pick<Deps, 'db'>,
  input: { orderId: string; userId: string },
): Promise<OrderView> {
  const [row] = await selectOrdersWithTickets(deps).where(eq(orders.id, input.orderId))
  if (!row) throw new NotFoundError('Order not found')
  if (row.order.userId !== input.userId) throw new ForbiddenError()
  return orderView(row.order, row.ticket, parseClaim(row.claim))
}
