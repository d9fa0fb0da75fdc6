import { eq } from 'drizzle-orm'
import { orders, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

/** Orders joined with the replica's ticket summary, the shape every order view is built from. */
export function selectOrdersWithTickets(deps: Pick<Deps, 'db'>) {
  return deps.db
    .select({
      order: orders,
      ticket: { id: tickets.id, title: tickets.title, price: tickets.price },
    })
    .from(orders)
    .innerJoin(tickets, eq(orders.ticketId, tickets.id))
}
