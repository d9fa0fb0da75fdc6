import { createEnvelope, type EventData, inTransaction } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { payDuePayouts } from './commands/pay-due-payouts.ts'
import { payments, payouts, sellerAccounts } from './db/schema.ts'
import { onClaimOpened } from './events/on-claim-opened.ts'
import { onClaimResolved } from './events/on-claim-resolved.ts'
import { onEventChanged } from './events/on-event-changed.ts'
import type { PaymentsTest } from './test-support.ts'

export const DAY_MS = 86_400_000
export const FEES = { buyerFee: 400, sellerFee: 400, total: 8_400 }

/** Payout helpers over one payments test context: events, paid orders, claims, the worker. */
export function payoutsSupport(t: PaymentsTest) {
  /** An event as tickets announces it, applied through the payments handler. */
  async function event(
    overrides: Partial<EventData<'event.updated'>> = {},
    type: 'event.created' | 'event.updated' = 'event.created',
  ) {
    const startsAt = new Date(t.clock().getTime() + 10 * DAY_MS)
    const data: EventData<'event.updated'> = {
      id: crypto.randomUUID(),
      name: 'Summer Sonic',
      venue: 'ZOZO Marine Stadium',
      city: 'Chiba',
      status: 'scheduled',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 6 * 3_600_000).toISOString(),
      version: 0,
      ...overrides,
    }
    await inTransaction(t.deps, (tx) => onEventChanged(t.deps)(tx, createEnvelope(type, data)))
    return data
  }

  /** A paid order of a ticket for `eventId` (8,000 yen, 400 each side), sold by `sellerId`. */
  async function paidOrder(sellerId: string, eventId: string | null) {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id, { price: 8_000, fees: FEES, sellerId, eventId })
    const res = await t.pay(headers, { orderId: order.id, token: 'tok_visa' })
    if (res.status !== 201) throw new Error(`payment failed: ${res.status}`)
    return order
  }

  async function payoutOf(orderId: string) {
    const [row] = await t.db.select().from(payouts).where(eq(payouts.orderId, orderId))
    if (!row) throw new Error(`no payout for order ${orderId}`)
    return row
  }

  async function paymentOf(orderId: string) {
    const [row] = await t.db.select().from(payments).where(eq(payments.orderId, orderId))
    return row
  }

  /** A seller whose Connect account can be paid (or not yet). */
  async function seller(enabled = true) {
    const { user, headers } = await t.auth.user()
    const now = t.clock()
    const accountId = `acct_test_${crypto.randomUUID().replaceAll('-', '')}`
    await t.db.insert(sellerAccounts).values({
      userId: user.id,
      stripeAccountId: accountId,
      payoutsEnabled: enabled,
      createdAt: now,
      updatedAt: now,
    })
    return { user, headers, accountId }
  }

  async function claim(
    orderId: string,
    outcome?: 'refund' | 'release',
    id: string = crypto.randomUUID(),
  ) {
    const ticket = { id: crypto.randomUUID() }
    if (outcome === undefined) {
      const data = { id, orderId, userId: crypto.randomUUID(), reason: 'invalid' as const, ticket }
      await inTransaction(t.deps, (tx) =>
        onClaimOpened(t.deps)(tx, createEnvelope('claim.opened', data)),
      )
    } else {
      const data = { id, orderId, outcome, ticket }
      await inTransaction(t.deps, (tx) =>
        onClaimResolved(t.deps)(tx, createEnvelope('claim.resolved', data)),
      )
    }
    return id
  }

  const work = () => payDuePayouts(t.deps)
  const transfersOf = (orderId: string) =>
    t.gateway.transfers.filter((x) => x.metadata.orderId === orderId)

  return { event, paidOrder, payoutOf, paymentOf, seller, claim, work, transfersOf }
}
