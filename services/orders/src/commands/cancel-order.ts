import { createEnvelope, enqueue, NotFoundError, type Tx } from '@twtix/common'
import { and, eq, sql } from 'drizzle-orm'
import { orders, outbox } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

export type CancelOrderInput = { orderId: string; correlationId?: string }

/** What cancelling did: only `cancelled` changed anything and published `order.cancelled`. */
export type CancelOutcome = 'cancelled' | 'already-cancelled' | 'complete'

/**
 * Cancels a `created` order (version+1, `order.cancelled`). The status check is part of the
 * update, so a payment completing the order at the same moment either wins or loses cleanly.
 */
export async function cancelOrder(
  deps: Deps,
  tx: Tx,
  input: CancelOrderInput,
): Promise<CancelOutcome> {
  const [cancelled] = await tx.db
    .update(orders)
    .set({ status: 'cancelled', version: sql`${orders.version} + 1` })
    .where(and(eq(orders.id, input.orderId), eq(orders.status, 'created')))
    .returning({ id: orders.id, version: orders.version, ticketId: orders.ticketId })
  if (cancelled) {
    await enqueue(
      tx,
      outbox,
      createEnvelope(
        'order.cancelled',
        { id: cancelled.id, version: cancelled.version, ticket: { id: cancelled.ticketId } },
        { source: 'orders', occurredAt: deps.clock(), correlationId: input.correlationId },
      ),
    )
    deps.logger.info('order cancelled', { orderId: cancelled.id })
    return 'cancelled'
  }
  const [order] = await tx.db
    .select({ status: orders.status })
    .from(orders)
    .where(eq(orders.id, input.orderId))
  if (!order) throw new NotFoundError('Order not found')
  return order.status === 'complete' ? 'complete' : 'already-cancelled'
}
