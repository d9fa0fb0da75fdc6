import { createEnvelope, enqueue, NotFoundError, type Tx } from '@twtix/common'
import { and, eq, sql } from 'drizzle-orm'
import { orders, outbox } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

export type CompleteOrderInput = { orderId: string; correlationId?: string }

/** What completing did: only `completed` changed anything and published `order.completed`. */
export type CompleteOutcome = 'completed' | 'already-complete' | 'cancelled'

/** Marks a paid `created` order complete (version+1, `order.completed` with the ticket id). */
export async function completeOrder(
  deps: Deps,
  tx: Tx,
  input: CompleteOrderInput,
): Promise<CompleteOutcome> {
  const [completed] = await tx.db
    .update(orders)
    .set({
      status: 'complete',
      version: sql`${orders.version} + 1`,
      paymentError: null,
      paymentErrorAt: null,
    })
    .where(and(eq(orders.id, input.orderId), eq(orders.status, 'created')))
    .returning({ id: orders.id, version: orders.version, ticketId: orders.ticketId })
  if (completed) {
    await enqueue(
      tx,
      outbox,
      createEnvelope(
        'order.completed',
        { id: completed.id, version: completed.version, ticket: { id: completed.ticketId } },
        { source: 'orders', occurredAt: deps.clock(), correlationId: input.correlationId },
      ),
    )
    deps.logger.info('order completed', { orderId: completed.id })
    return 'completed'
  }
  const [order] = await tx.db
    .select({ status: orders.status })
    .from(orders)
    .where(eq(orders.id, input.orderId))
  if (!order) throw new NotFoundError('Order not found')
  return order.status === 'complete' ? 'already-complete' : 'cancelled'
}
