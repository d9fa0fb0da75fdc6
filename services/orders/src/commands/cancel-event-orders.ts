import type { Tx } from '@twtix/common'
import { and, eq, inArray } from 'drizzle-orm'
import { orders, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { cancelOrder } from './cancel-order.ts'

/**
 * The event was cancelled: every open (`created`) order of its tickets is cancelled, each with
 * its order.cancelled. Paid orders are the payments service's to refund (it consumes the same
 * event). Run once per cancellation: the caller applies the event's version first.
 */
export async function cancelEventOrders(
  deps: Deps,
  tx: Tx,
  input: { eventId: string; correlationId?: string },
): Promise<number> {
  const open = await tx.db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.status, 'created'),
        inArray(
          orders.ticketId,
          tx.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.eventId, input.eventId)),
        ),
      ),
    )
  let cancelled = 0
  for (const order of open) {
    const outcome = await cancelOrder(deps, tx, {
      orderId: order.id,
      correlationId: input.correlationId,
    })
    if (outcome === 'cancelled') cancelled++
  }
  return cancelled
}
