import type { Db } from '@twtix/common'
import { and, eq, gt, inArray, sql } from 'drizzle-orm'
import { eventCancelled } from '../commands/apply-event.ts'
import { idempotencyKeys, orders, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

export type OrderingInput = { userId: string; ticketId: string }

/**
 * What deciding an order needs to read, in one statement: the ticket, whether an active order
 * already holds it, whether the buyer holds their limit of unpaid orders (and the earliest of them
 * to end), when the buyer's last order of this ticket was cancelled within the cool-down, and
 * whether the buyer already used `idempotencyKey`, and whether the ticket's event was cancelled. No row when the ticket is unknown.
 */
export async function orderingContext(
  db: Db,
  deps: Pick<Deps, 'config'>,
  input: OrderingInput,
  now: Date,
  idempotencyKey?: string,
) {
  const limit = deps.config.ORDERS_OPEN_PER_USER
  const cooldownMs = deps.config.ORDER_COOLDOWN_SECONDS * 1000
  const openOfBuyer = and(
    eq(orders.userId, input.userId),
    eq(orders.status, 'created'),
    gt(orders.expiresAt, now),
  )
  // The limit-th unpaid order exists: no need to count them all.
  const atLimit = db
    .select({ one: sql`1` })
    .from(orders)
    .where(openOfBuyer)
    .offset(limit - 1)
    .limit(1)
  const firstToEnd = db
    .select({ at: sql`min(${orders.expiresAt})` })
    .from(orders)
    .where(openOfBuyer)
  const lastReleased =
    cooldownMs === 0
      ? sql`null`
      : sql`(${db
          .select({ at: sql`max(${orders.endedAt})` })
          .from(orders)
          .where(
            and(
              eq(orders.userId, input.userId),
              eq(orders.ticketId, input.ticketId),
              eq(orders.status, 'cancelled'),
              gt(orders.endedAt, new Date(now.getTime() - cooldownMs)),
            ),
          )})`
  const held = db
    .select({ one: sql`1` })
    .from(orders)
    .where(
      and(eq(orders.ticketId, input.ticketId), inArray(orders.status, ['created', 'complete'])),
    )
  const keyed =
    idempotencyKey === undefined
      ? sql`false`
      : sql`exists (${db
          .select({ one: sql`1` })
          .from(idempotencyKeys)
          .where(
            and(eq(idempotencyKeys.userId, input.userId), eq(idempotencyKeys.key, idempotencyKey)),
          )})`
  const [row] = await db
    .select({
      ticket: tickets,
      held: sql<boolean>`exists (${held})`.mapWith(Boolean),
      openUntil: sql<Date | null>`case when exists (${atLimit}) then (${firstToEnd}) end`.mapWith(
        orders.expiresAt,
      ),
      releasedAt: sql<Date | null>`${lastReleased}`.mapWith(orders.endedAt),
      keyed: sql<boolean>`${keyed}`.mapWith(Boolean),
      eventCancelled: eventCancelled(tickets.eventId).mapWith(Boolean),
    })
    .from(tickets)
    .where(eq(tickets.id, input.ticketId))
  return row
}

export type OrderingContext = NonNullable<Awaited<ReturnType<typeof orderingContext>>>
