import type { Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { events, type OrderCopy, type Payment, payouts } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

const DAY_MS = 86_400_000

/**
 * When a seller's payout falls due: PAYOUT_DELAY_DAYS after the event's end (its start when the
 * end is unknown); for a listing without a known event, after the payment.
 */
export function payoutDueAt(
  deps: Pick<Deps, 'config'>,
  event: { startsAt: Date; endsAt: Date | null } | undefined,
  paidAt: Date,
): Date {
  const from = event ? (event.endsAt ?? event.startsAt) : paidAt
  return new Date(from.getTime() + deps.config.PAYOUT_DELAY_DAYS * DAY_MS)
}

/**
 * The seller's share of a succeeded payment, held until it falls due: price − seller fee. In the
 * transaction that records the payment, so a paid order never lacks its payout. An order copy
 * without a seller (announced before payouts existed) has none.
 */
export async function createPayout(
  deps: Pick<Deps, 'config' | 'clock'>,
  tx: Tx,
  order: OrderCopy,
  payment: Payment,
  chargeId: string,
) {
  if (!order.sellerId) return
  const now = deps.clock()
  const [event] = order.eventId
    ? await tx.db.select().from(events).where(eq(events.id, order.eventId))
    : []
  await tx.db
    .insert(payouts)
    .values({
      id: crypto.randomUUID(),
      orderId: order.id,
      paymentId: payment.id,
      sellerId: order.sellerId,
      eventId: order.eventId,
      amount: order.price - (order.sellerFee ?? 0),
      status: 'held',
      dueAt: payoutDueAt(deps, event, now),
      chargeId,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
}
