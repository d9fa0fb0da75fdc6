import type { Tx } from '@twtix/common'
import { due } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

export type ScheduleInput = { orderId: string; dueAt: Date }

/** Remembers when an order's hold runs out; a second call for the same order changes nothing. */
export async function scheduleExpiration(
  deps: Pick<Deps, 'clock'>,
  tx: Tx,
  input: ScheduleInput,
): Promise<boolean> {
  const inserted = await tx.db
    .insert(due)
    .values({ orderId: input.orderId, dueAt: input.dueAt, createdAt: deps.clock() })
    .onConflictDoNothing()
    .returning({ orderId: due.orderId })
  return inserted.length === 1
}
