import { desc, eq } from 'drizzle-orm'
import { orders } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type OrderView, orderView } from '../views.ts'
import { parseClaim, selectOrdersWithTickets } from './order-with-ticket.ts'

/** The buyer's order history, newest first. */
export async function listOrders(
  deps: Pick<Deps, 'db'>,
  input: { userId: string },
): Promise<OrderView[]> {
  const rows = await selectOrdersWithTickets(deps)
    .where(eq(orders.userId, input.userId))
    .orderBy(desc(orders.createdAt), desc(orders.id))
  return rows.map((row) => orderView(row.order, row.ticket, parseClaim(row.claim)))
}
