import type { EventData, Tx } from '@twtix/common'
import { and, eq, inArray } from 'drizzle-orm'
import { events, orders, payouts } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { refundOrder } from './cancel-payout.ts'
import { payoutDueAt } from './create-payout.ts'

type EventState = EventData<'event.created'>

/**
 * Keeps the copy of an event and reacts to its changes. Each event carries the whole state, so a
 * newer version is applied even over a gap, and an older or equal one is a duplicate. Postponed
 * (or any new times): the payouts not yet made fall due from the new end. Cancelled: every paid
 * order of the event is refunded in full and its payout cancelled. Resolves with whether the
 * version was applied.
 */
export async function recordEvent(
  deps: Pick<Deps, 'clock' | 'config' | 'logger'>,
  tx: Tx,
  data: EventState,
): Promise<boolean> {
  const state = {
    status: data.status,
    startsAt: new Date(data.startsAt),
    endsAt: data.endsAt === null ? null : new Date(data.endsAt),
    version: data.version,
  }
  const [copy] = await tx.db.select().from(events).where(eq(events.id, data.id)).for('update')
  if (copy && copy.version >= data.version) return false
  if (copy) await tx.db.update(events).set(state).where(eq(events.id, data.id))
  else await tx.db.insert(events).values({ id: data.id, ...state })

  const waiting = await tx.db
    .select({ id: payouts.id, createdAt: payouts.createdAt })
    .from(payouts)
    .where(and(eq(payouts.eventId, data.id), inArray(payouts.status, ['held', 'blocked'])))
  for (const payout of waiting) {
    await tx.db
      .update(payouts)
      .set({ dueAt: payoutDueAt(deps, state, payout.createdAt), updatedAt: deps.clock() })
      .where(eq(payouts.id, payout.id))
  }
  if (data.status === 'cancelled') {
    const paid = await tx.db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.eventId, data.id), inArray(orders.status, ['created', 'completed'])))
    let refunds = 0
    for (const order of paid) refunds += await refundOrder(deps, tx, order.id)
    deps.logger.info('event cancelled: paid orders to refund', { eventId: data.id, refunds })
  }
  return true
}
