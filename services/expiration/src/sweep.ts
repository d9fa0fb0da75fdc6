import { createEnvelope, enqueue, inTransaction } from '@twtix/common'
import { asc, inArray, lte } from 'drizzle-orm'
import { due, outbox } from './db/schema.ts'
import type { Deps } from './deps.ts'

export type SweepDeps = Pick<Deps, 'db' | 'clock' | 'relay' | 'config'>

/**
 * Expires every order whose hold has run out, one batch per transaction, and says how many.
 * `SKIP LOCKED` lets several workers sweep the same table at once: a row another worker holds is
 * left to it, and a row it deleted is gone, so each expiry is announced exactly once.
 */
export async function sweep(deps: SweepDeps): Promise<number> {
  let total = 0
  for (;;) {
    const swept = await sweepBatch(deps)
    total += swept
    if (swept < deps.config.SWEEP_BATCH_SIZE) return total
  }
}

async function sweepBatch(deps: SweepDeps): Promise<number> {
  const now = deps.clock()
  return inTransaction(deps, async (tx) => {
    const rows = await tx.db
      .select({ orderId: due.orderId })
      .from(due)
      .where(lte(due.dueAt, now))
      .orderBy(asc(due.dueAt))
      .limit(deps.config.SWEEP_BATCH_SIZE)
      .for('update', { skipLocked: true })
    if (rows.length === 0) return 0
    for (const { orderId } of rows) {
      const event = createEnvelope('expiration.completed', { orderId }, { occurredAt: now })
      await enqueue(tx, outbox, event)
    }
    await tx.db.delete(due).where(
      inArray(
        due.orderId,
        rows.map((r) => r.orderId),
      ),
    )
    return rows.length
  })
}
