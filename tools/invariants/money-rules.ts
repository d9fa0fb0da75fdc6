import type { RuleOptions, Violation } from './rules.ts'
import type { Snapshot } from './snapshot.ts'

const DAY_MS = 86_400_000

/** A payout that stands: waiting, blocked, or paid and not being taken back. */
const live = (p: Snapshot['payouts'][number]) =>
  p.status === 'held' || p.status === 'blocked' || (p.status === 'paid' && !p.reversalDueAt)

/**
 * The money rules: every paid order has exactly one payout or a refund; no payout before its
 * event's end + PAYOUT_DELAY_DAYS, nor while a claim is open; per order, what was charged is
 * what went back (refunds) plus the seller's share (transferred or still held) plus the fees; and
 * at the gateway, at most one transfer per payout and every paid payout's transfer there.
 */
export function moneyViolations(s: Snapshot, options: RuleOptions): Violation[] {
  const out: Violation[] = []
  const copyById = new Map(s.orderReplica.map((o) => [o.id, o]))
  const eventById = new Map(s.eventReplica.map((e) => [e.id, e]))
  const payoutsOf = new Map<string, Snapshot['payouts']>()
  for (const p of s.payouts) payoutsOf.set(p.orderId, [...(payoutsOf.get(p.orderId) ?? []), p])
  const paymentsOf = new Map<string, Snapshot['payments']>()
  for (const p of s.payments) {
    paymentsOf.set(p.orderId, [...(paymentsOf.get(p.orderId) ?? []), p])
  }

  for (const [orderId, list] of paymentsOf) {
    const copy = copyById.get(orderId)
    // Orders announced before payouts existed have no seller to pay.
    if (!copy?.sellerId) continue
    const succeeded = list.filter((p) => p.status === 'succeeded')
    const refunded = list.filter((p) => p.status === 'refunded')
    const standing = (payoutsOf.get(orderId) ?? []).filter(live)
    const ids = { order: orderId, payouts: standing.map((p) => p.id) }
    if (succeeded.length > 0 && standing.length !== 1) {
      out.push({
        rule: 'payout-or-refund',
        message: `a paid order with ${standing.length} standing payouts`,
        ids,
      })
    }
    if (succeeded.length === 0 && refunded.length > 0 && standing.length > 0) {
      out.push({ rule: 'payout-or-refund', message: 'a refunded order still pays its seller', ids })
    }
    const charged = [...succeeded, ...refunded].reduce((sum, p) => sum + p.amount, 0)
    if (charged === 0) continue
    const back = refunded.reduce((sum, p) => sum + p.amount, 0)
    const share = standing.reduce((sum, p) => sum + p.amount, 0)
    const fees = succeeded.length > 0 ? (copy.buyerFee ?? 0) + (copy.sellerFee ?? 0) : 0
    if (share + fees + back !== charged) {
      out.push({
        rule: 'money-unbalanced',
        message: `charged ${charged} ≠ payout ${share} + fees ${fees} + refunds ${back}`,
        ids,
      })
    }
  }

  for (const p of s.payouts) {
    if (!p.paidAt) continue
    const ids = { order: p.orderId, payout: p.id }
    const event = p.eventId ? eventById.get(p.eventId) : undefined
    const end = event ? (event.endsAt ?? event.startsAt).getTime() : undefined
    const earliest = Math.max(
      p.dueAt.getTime(),
      end === undefined ? 0 : end + options.payoutDelayDays * DAY_MS,
    )
    if (p.paidAt.getTime() < earliest) {
      out.push({
        rule: 'payout-before-due',
        message: `paid at ${p.paidAt.toISOString()}, due ${new Date(earliest).toISOString()}`,
        ids,
      })
    }
    if (p.status === 'paid' && p.claimId) {
      out.push({ rule: 'payout-with-open-claim', message: `claim ${p.claimId} is open`, ids })
    }
  }
  out.push(...transferViolations(s))
  return out
}

/**
 * Against the offline gateway's own record (payments.offline_transfers, durable through kills):
 * two transfers for one payout are money paid twice, whatever the payout row says; a paid payout
 * whose offline transfer is not there, or is another payout's or amount, was never paid. A
 * Stripe transfer (tr_…, not tr_offline_…) is Stripe's to show; it needs only to be recorded.
 */
export function transferViolations(s: Snapshot): Violation[] {
  const out: Violation[] = []
  const byPayout = new Map<string, Snapshot['transfers']>()
  for (const t of s.transfers) {
    if (t.payoutId) byPayout.set(t.payoutId, [...(byPayout.get(t.payoutId) ?? []), t])
  }
  const orderOf = new Map(s.payouts.map((p) => [p.id, p.orderId]))
  for (const [payoutId, made] of byPayout) {
    if (made.length < 2) continue
    out.push({
      rule: 'payout-transferred-twice',
      message: `${made.length} transfers (keys ${made.map((t) => t.idempotencyKey).join(', ')})`,
      ids: {
        order: orderOf.get(payoutId) ?? '',
        payout: payoutId,
        transfers: made.map((t) => t.id),
      },
    })
  }
  const byId = new Map(s.transfers.map((t) => [t.id, t]))
  for (const p of s.payouts) {
    if (p.status !== 'paid' && p.status !== 'reversed') continue
    const ids = { order: p.orderId, payout: p.id }
    if (!p.transferId) {
      out.push({ rule: 'payout-transfer-missing', message: `${p.status} without a transfer`, ids })
      continue
    }
    if (!p.transferId.startsWith('tr_offline_')) continue
    const made = byId.get(p.transferId)
    if (!made || made.payoutId !== p.id || made.amount !== p.amount) {
      out.push({
        rule: 'payout-transfer-missing',
        message: made
          ? `transfer ${p.transferId} is of payout ${made.payoutId}, ${made.amount} yen`
          : `transfer ${p.transferId} is not at the gateway`,
        ids: { ...ids, transfer: p.transferId },
      })
    }
  }
  return out
}
