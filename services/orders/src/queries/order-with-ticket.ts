import { eq, sql } from 'drizzle-orm'
import { claims, orders, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import type { OrderClaim } from '../views.ts'

/** The order's latest claim as JSON, or null (most orders have none: one index probe). */
const latestClaim = sql<OrderClaim | null>`(select json_build_object('id', ${claims.id}, 'reason', ${claims.reason}, 'status', ${claims.status}, 'outcome', ${claims.outcome}, 'openedAt', to_char(${claims.openedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) from ${claims} where ${claims.orderId} = ${orders.id} order by ${claims.openedAt} desc limit 1)`

/**
 * Orders joined with the replica's ticket summary and their latest claim, the shape every order
 * view is built from.
 */
export function selectOrdersWithTickets(deps: Pick<Deps, 'db'>) {
  return deps.db
    .select({
      order: orders,
      ticket: { id: tickets.id, title: tickets.title, price: tickets.price },
      claim: latestClaim,
    })
    .from(orders)
    .innerJoin(tickets, eq(orders.ticketId, tickets.id))
}

/** The claim column as the driver gives it: parsed JSON, or text from a driver that leaves it. */
export function parseClaim(value: OrderClaim | string | null): OrderClaim | null {
  return typeof value === 'string' ? (JSON.parse(value) as OrderClaim) : value
}
