import { RetryLaterError, type Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { type OrderCopyStatus, orders } from '../db/schema.ts'

/**
 * Applies an order event to the copy only when it is the next version: an older or equal one is
 * a duplicate (false), a gap or an order not seen yet waits for the missing events.
 */
export async function applyOrderVersion(
  tx: Tx,
  event: { id: string; version: number },
  status: OrderCopyStatus,
): Promise<boolean> {
  const [order] = await tx.db.select().from(orders).where(eq(orders.id, event.id)).for('update')
  if (!order) throw new RetryLaterError(`order ${event.id} not seen yet`)
  if (event.version <= order.version) return false
  if (event.version > order.version + 1) {
    throw new RetryLaterError(`order ${event.id} at version ${order.version}, got ${event.version}`)
  }
  await tx.db.update(orders).set({ status, version: event.version }).where(eq(orders.id, event.id))
  return true
}
