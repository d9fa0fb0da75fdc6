import { createEnvelope, enqueue, NotFoundError, type Tx } from '@twtix/common'
import { and, eq, sql } from 'drizzle-orm'
import { orders, outbox } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

type Ending = {
  status: 'cancelled' | 'complete'
  event: 'order.cancelled' | 'order.completed'
  /** Other columns the ending sets. */
  set?: Partial<typeof orders.$inferInsert>
}

/**
 * Ends a `created` order (version+1, its event with the ticket id). The status check is part of
 * the update, so a payment and a cancellation at the same moment: one wins, the other finds the
 * order already ended. Resolves with the status the order has now and whether this call ended it.
 */
export async function endOrder(
  deps: Deps,
  tx: Tx,
  input: { orderId: string; correlationId?: string },
  ending: Ending,
): Promise<{ ended: boolean; status: string }> {
  const [ended] = await tx.db
    .update(orders)
    .set({
      ...ending.set,
      status: ending.status,
      version: sql`${orders.version} + 1`,
      endedAt: deps.clock(),
    })
    .where(and(eq(orders.id, input.orderId), eq(orders.status, 'created')))
    .returning({ id: orders.id, version: orders.version, ticketId: orders.ticketId })
  if (ended) {
    await enqueue(
      tx,
      outbox,
      createEnvelope(
        ending.event,
        { id: ended.id, version: ended.version, ticket: { id: ended.ticketId } },
        { occurredAt: deps.clock(), correlationId: input.correlationId },
      ),
    )
    deps.logger.info(ending.status === 'complete' ? 'order completed' : 'order cancelled', {
      orderId: ended.id,
    })
    return { ended: true, status: ending.status }
  }
  const [order] = await tx.db
    .select({ status: orders.status })
    .from(orders)
    .where(eq(orders.id, input.orderId))
  if (!order) throw new NotFoundError('Order not found')
  return { ended: false, status: order.status }
}
