import { NotFoundError, type Tx } from '@twtix/common'
import { and, eq, ne } from 'drizzle-orm'
import { orders } from '../db/schema.ts'

export type PaymentFailureInput = { orderId: string; reason: string; at: Date }

/**
 * Notes why a payment failed so the buyer sees it on the order. Nothing other services
 * replicate changes, so there is no version bump and no event. A completed order keeps none.
 * Returns whether the order took the note.
 */
export async function recordPaymentFailure(tx: Tx, input: PaymentFailureInput): Promise<boolean> {
  const updated = await tx.db
    .update(orders)
    .set({ paymentError: input.reason, paymentErrorAt: input.at })
    .where(and(eq(orders.id, input.orderId), ne(orders.status, 'complete')))
    .returning({ id: orders.id })
  if (updated.length > 0) return true
  const [order] = await tx.db
    .select({ id: orders.id })
    .from(orders)
    .where(eq(orders.id, input.orderId))
  if (!order) throw new NotFoundError('Order not found')
  return false
}
