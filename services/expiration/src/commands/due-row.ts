import type { due } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

export type ScheduleInput = { orderId: string; dueAt: Date }

/**
 * When an order's hold runs out: the row order.created's handler writes, once per order (a
 * second event for the same order changes nothing).
 */
export function dueRow(deps: Pick<Deps, 'clock'>, input: ScheduleInput): typeof due.$inferInsert {
  return { orderId: input.orderId, dueAt: input.dueAt, createdAt: deps.clock() }
}
