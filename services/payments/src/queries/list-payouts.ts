import type { Db } from '@twtix/common'
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm'
import { type Payout, type PayoutStatus, payouts } from '../db/schema.ts'
import { type Cursor, encodeCursor } from './cursor.ts'

/** A payout as its seller (or an admin) sees it. */
export type PayoutView = {
  id: string
  orderId: string
  sellerId: string
  amount: number
  currency: 'JPY'
  /**
   * `scheduled`: waiting for `dueAt`; `held`: a claim on the order is open; `blocked`: due, but
   * onboarding is incomplete; `paid`; `reversed`: paid, then taken back; `cancelled`: refunded.
   */
  status: 'scheduled' | Exclude<PayoutStatus, never>
  reason: string | null
  dueAt: string
  paidAt: string | null
  transferId: string | null
  createdAt: string
}

export function payoutView(payout: Payout): PayoutView {
  const claimed = payout.claimId !== null && ['held', 'blocked'].includes(payout.status)
  const status =
    payout.status === 'held' && !claimed ? 'scheduled' : claimed ? 'held' : payout.status
  return {
    id: payout.id,
    orderId: payout.orderId,
    sellerId: payout.sellerId,
    amount: payout.amount,
    currency: 'JPY',
    status,
    reason: claimed
      ? 'a claim is open'
      : payout.status === 'blocked'
        ? 'onboarding incomplete'
        : null,
    dueAt: payout.dueAt.toISOString(),
    paidAt: payout.paidAt?.toISOString() ?? null,
    transferId: payout.transferId,
    createdAt: payout.createdAt.toISOString(),
  }
}

export type PayoutFilter = { sellerId?: string; status?: PayoutStatus }

/** Newest first, `limit` per page; `next` is the cursor of the following page, if any. */
export async function listPayouts(
  db: Db,
  filter: PayoutFilter,
  limit: number,
  cursor?: Cursor,
): Promise<{ payouts: PayoutView[]; next?: string }> {
  const where: (SQL | undefined)[] = [
    filter.sellerId === undefined ? undefined : eq(payouts.sellerId, filter.sellerId),
    filter.status === undefined ? undefined : eq(payouts.status, filter.status),
    cursor === undefined
      ? undefined
      : or(
          lt(payouts.createdAt, cursor.createdAt),
          and(eq(payouts.createdAt, cursor.createdAt), lt(payouts.id, cursor.id)),
        ),
  ]
  const rows = await db
    .select()
    .from(payouts)
    .where(and(...where))
    .orderBy(desc(payouts.createdAt), desc(payouts.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  const next = rows.length > limit && last ? encodeCursor(last) : undefined
  return { payouts: page.map(payoutView), next }
}
