import type { Tx } from '@twtix/common'
import { and, eq, inArray } from 'drizzle-orm'
import { deliveryDeadlines, type SaleStatus, ticketOrders } from '../db/schema.ts'

export type OrderNote = { orderId: string; ticketId: string; buyerId: string; at: Date }

/** The row order.created writes: who the buyer is (written once per order). */
export function orderNoteRow(input: OrderNote): typeof ticketOrders.$inferInsert {
  return {
    orderId: input.orderId,
    ticketId: input.ticketId,
    buyerId: input.buyerId,
    status: 'created',
    updatedAt: input.at,
  }
}

/** order.created: who the buyer is, kept so only they can fetch the delivery once it is paid. */
export async function recordOrder(tx: Tx, input: OrderNote): Promise<void> {
  await tx.db.insert(ticketOrders).values(orderNoteRow(input)).onConflictDoNothing()
}

/**
 * Moves an order on from one of `from` to `to`; says whether it did (false: unknown here, or
 * already past that point, as for a repeated event).
 */
export async function moveOrder(
  tx: Tx,
  input: { orderId: string; from: SaleStatus[]; to: SaleStatus; at: Date },
): Promise<boolean> {
  const moved = await tx.db
    .update(ticketOrders)
    .set({ status: input.to, updatedAt: input.at })
    .where(and(eq(ticketOrders.orderId, input.orderId), inArray(ticketOrders.status, input.from)))
    .returning({ orderId: ticketOrders.orderId })
  return moved.length > 0
}

/**
 * The order ends before its delivery (order.cancelled → `cancelled`; a claim refunded →
 * `refunded`): the buyer loses access, and no deadline is left for that order.
 */
export async function endOrder(
  tx: Tx,
  input: { orderId: string; to: 'cancelled' | 'refunded'; at: Date },
): Promise<void> {
  await moveOrder(tx, { ...input, from: ['created', 'paid'] })
  await tx.db.delete(deliveryDeadlines).where(eq(deliveryDeadlines.orderId, input.orderId))
}
