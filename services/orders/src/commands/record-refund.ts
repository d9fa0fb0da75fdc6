import { NotFoundError, type Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { orders } from '../db/schema.ts'

export type RefundInput = { orderId: string; at: Date }

/** Notes that the order's payment was refunded (it succeeded after the order was cancelled). */
export async function recordRefund(tx: Tx, input: RefundInput): Promise<void> {
  const updated = await tx.db
    .update(orders)
    .set({ refundedAt: input.at })
    .where(eq(orders.id, input.orderId))
    .returning({ id: orders.id })
  if (updated.length === 0) throw new NotFoundError('Order not found')
}
