import type { EventData, Tx } from '@twtix/common'
import { and, eq, inArray } from 'drizzle-orm'
import { payouts } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { refundOrder } from './cancel-payout.ts'

/**
 * A buyer's claim holds the seller's payout until an admin resolves it. A payout already
 * transferred cannot be held: a `refund` outcome reverses it.
 */
export async function recordClaimOpened(
  deps: Pick<Deps, 'clock' | 'logger'>,
  tx: Tx,
  data: EventData<'claim.opened'>,
) {
  const held = await tx.db
    .update(payouts)
    .set({ claimId: data.id, updatedAt: deps.clock() })
    .where(and(eq(payouts.orderId, data.orderId), inArray(payouts.status, ['held', 'blocked'])))
    .returning({ id: payouts.id })
  if (held.length === 0) {
    deps.logger.warn('claim opened on an order without a payout to hold', {
      claimId: data.id,
      orderId: data.orderId,
    })
  }
}

/**
 * `refund`: the buyer gets the order's total back and the payout is cancelled (or its transfer
 * reversed). `release`: the claim no longer holds the payout, which goes when due (at once when
 * its due time has passed).
 */
export async function recordClaimResolved(
  deps: Pick<Deps, 'clock'>,
  tx: Tx,
  data: EventData<'claim.resolved'>,
) {
  if (data.outcome === 'refund') {
    await refundOrder(deps, tx, data.orderId)
  }
  await tx.db
    .update(payouts)
    .set({ claimId: null, updatedAt: deps.clock() })
    .where(and(eq(payouts.orderId, data.orderId), eq(payouts.claimId, data.id)))
}
