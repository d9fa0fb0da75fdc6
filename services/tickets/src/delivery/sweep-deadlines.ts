import { createEnvelope, enqueue, inTransaction } from '@twtix/common'
import { asc, inArray, lte } from 'drizzle-orm'
import { deliveryDeadlines, outbox, ticketOrders } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

export type DeadlineSweepDeps = Pick<Deps, 'db' | 'clock' | 'relay' | 'logger'>

const BATCH = 100

/**
 * Announces ticket.undelivered for every paid ticket whose delivery deadline has passed, one
 * batch per transaction, and says how many. Each row is deleted in the transaction that writes
 * its event, and `SKIP LOCKED` leaves a row another replica holds to it, so each order is
 * announced once. The buyer's access ends with it: payments refunds the order.
 */
export async function sweepDeliveryDeadlines(deps: DeadlineSweepDeps): Promise<number> {
  let total = 0
  for (;;) {
    const swept = await sweepBatch(deps)
    total += swept
    if (swept < BATCH) return total
  }
}

async function sweepBatch(deps: DeadlineSweepDeps): Promise<number> {
  const now = deps.clock()
  return inTransaction(deps, async (tx) => {
    const rows = await tx.db
      .select()
      .from(deliveryDeadlines)
      .where(lte(deliveryDeadlines.dueAt, now))
      .orderBy(asc(deliveryDeadlines.dueAt))
      .limit(BATCH)
      .for('update', { skipLocked: true })
    if (rows.length === 0) return 0
    const orderIds = rows.map((r) => r.orderId)
    for (const { orderId, ticketId } of rows) {
      const event = createEnvelope(
        'ticket.undelivered',
        { id: ticketId, orderId },
        { occurredAt: now },
      )
      await enqueue(tx, outbox, event)
      deps.logger.warn('delivery deadline missed: order to be refunded', { ticketId, orderId })
    }
    await tx.db
      .update(ticketOrders)
      .set({ status: 'refunded', updatedAt: now })
      .where(inArray(ticketOrders.orderId, orderIds))
    await tx.db.delete(deliveryDeadlines).where(inArray(deliveryDeadlines.orderId, orderIds))
    return rows.length
  })
}
