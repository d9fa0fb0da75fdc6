import { inTransaction } from '@twtix/common'
import { and, asc, eq, isNotNull, isNull, lte, notExists, or, sql } from 'drizzle-orm'
import { payments, payouts, sellerAccounts } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { transferGroupOf } from './pay-order.ts'

export type PayoutDeps = Pick<Deps, 'db' | 'clock' | 'gateway' | 'logger' | 'config'>

const BATCH = 50
const FIRST_RETRY_MS = 1000
const LAST_RETRY_MS = 3_600_000

/** What one run of the payouts worker did. */
export type PayoutRun = { paid: number; blocked: number; failed: number; reversed: number }

/** How long a payout waits after its `attempts`-th failed transfer: 1 s, 2 s, 4 s … 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LAST_RETRY_MS)
}

/**
 * The payouts worker: pays every payout that fell due and takes back every paid one marked for
 * reversal, one payout per transaction. The row stays locked (`FOR UPDATE SKIP LOCKED`: several
 * workers share the table) through the gateway call, whose idempotency key is the payout's id: a
 * crash between the call and the commit leaves the payout `held`, and the next run's call returns
 * the first transfer instead of making a second one. A gateway error is logged and recorded on
 * the payout, which waits `retryDelayMs(attempts)` while the others behind it are paid.
 */
export async function payDuePayouts(deps: PayoutDeps): Promise<PayoutRun> {
  const run: PayoutRun = { paid: 0, blocked: 0, failed: 0, reversed: 0 }
  for (let i = 0; i < BATCH; i++) {
    const outcome = await payNext(deps).catch((err) => {
      deps.logger.warn('payout failed; will retry', { error: err })
      return undefined
    })
    if (!outcome) break
    run[outcome]++
  }
  for (let i = 0; i < BATCH; i++) {
    const reversed = await reverseNext(deps).catch((err) => {
      deps.logger.warn('transfer reversal failed; will retry', { error: err })
      return false
    })
    if (!reversed) break
    run.reversed++
  }
  return run
}

async function payNext(deps: PayoutDeps): Promise<'paid' | 'blocked' | 'failed' | undefined> {
  const now = deps.clock()
  return inTransaction(deps, async (tx) => {
    const [payout] = await tx.db
      .select()
      .from(payouts)
      .where(
        and(
          eq(payouts.status, 'held'),
          isNull(payouts.claimId),
          lte(payouts.dueAt, now),
          or(isNull(payouts.nextAttemptAt), lte(payouts.nextAttemptAt, now)),
          // A refund decided but not yet made: the payout is about to be cancelled.
          notExists(
            tx.db
              .select({ one: sql`1` })
              .from(payments)
              .where(and(eq(payments.id, payouts.paymentId), isNotNull(payments.refundDueAt))),
          ),
        ),
      )
      .orderBy(asc(payouts.dueAt))
      .limit(1)
      .for('update', { skipLocked: true })
    if (!payout) return undefined
    const [account] = await tx.db
      .select()
      .from(sellerAccounts)
      .where(eq(sellerAccounts.userId, payout.sellerId))
    if (!account?.payoutsEnabled) {
      await tx.db
        .update(payouts)
        .set({ status: 'blocked', updatedAt: now })
        .where(eq(payouts.id, payout.id))
      return 'blocked'
    }
    let transfer: { id: string }
    try {
      transfer = await deps.gateway.transfer({
        amount: payout.amount,
        currency: 'jpy',
        destination: account.stripeAccountId,
        sourceTransaction: payout.chargeId,
        transferGroup: transferGroupOf(payout.orderId),
        idempotencyKey: `payout-${payout.id}`,
        metadata: { orderId: payout.orderId, payoutId: payout.id },
      })
    } catch (err) {
      const attempts = payout.attempts + 1
      const retryAt = new Date(now.getTime() + retryDelayMs(attempts))
      await tx.db
        .update(payouts)
        .set({ attempts, nextAttemptAt: retryAt, updatedAt: now })
        .where(eq(payouts.id, payout.id))
      // The message only: a gateway error may carry the request, keys and account included.
      deps.logger.warn('payout transfer failed; will retry', {
        payoutId: payout.id,
        orderId: payout.orderId,
        attempts,
        retryAt: retryAt.toISOString(),
        error: err instanceof Error ? err.message : String(err),
      })
      return 'failed'
    }
    await tx.db
      .update(payouts)
      .set({ status: 'paid', transferId: transfer.id, paidAt: now, updatedAt: now })
      .where(eq(payouts.id, payout.id))
    deps.logger.info('payout paid', { payoutId: payout.id, orderId: payout.orderId })
    return 'paid'
  })
}

async function reverseNext(deps: PayoutDeps): Promise<boolean> {
  const now = deps.clock()
  return inTransaction(deps, async (tx) => {
    const [payout] = await tx.db
      .select()
      .from(payouts)
      .where(
        and(
          eq(payouts.status, 'paid'),
          isNotNull(payouts.reversalDueAt),
          lte(payouts.reversalDueAt, now),
        ),
      )
      .orderBy(asc(payouts.reversalDueAt))
      .limit(1)
      .for('update', { skipLocked: true })
    if (!payout?.transferId) return false
    await deps.gateway.reverseTransfer({
      transferId: payout.transferId,
      idempotencyKey: `reversal-${payout.id}`,
    })
    await tx.db
      .update(payouts)
      .set({ status: 'reversed', updatedAt: now })
      .where(eq(payouts.id, payout.id))
    deps.logger.info('payout reversed', { payoutId: payout.id, orderId: payout.orderId })
    return true
  })
}
