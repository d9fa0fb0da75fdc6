import { describe, expect, it } from 'vitest'
import { DAY_MS, payoutsSupport } from '../payouts-support.ts'
import { setupPayments } from '../test-support.ts'
import { refundDue } from './refund-due.ts'

const t = await setupPayments()
const s = payoutsSupport(t)

describe('an event cancelled', () => {
  it('refunds every paid order of it in full and cancels their payouts, once', async () => {
    const { user } = await s.seller()
    const event = await s.event()
    const a = await s.paidOrder(user.id, event.id)
    const b = await s.paidOrder(user.id, event.id)
    const other = await s.paidOrder(user.id, (await s.event()).id)
    const cancelled = { ...event, status: 'cancelled' as const, version: 1 }
    await s.event(cancelled, 'event.updated')
    await s.event(cancelled, 'event.updated') // delivered twice
    for (const order of [a, b]) {
      expect((await s.payoutOf(order.id)).status).toBe('cancelled')
    }
    expect((await s.payoutOf(other.id)).status).toBe('held')
    await refundDue(t.deps)
    for (const order of [a, b]) {
      expect(await s.paymentOf(order.id)).toMatchObject({ status: 'refunded', amount: 8_400 })
      const payment = await s.paymentOf(order.id)
      expect(t.gateway.refunds.filter((r) => r.paymentIntentId === payment?.stripeId)).toEqual([
        { paymentIntentId: payment?.stripeId, idempotencyKey: `refund-${payment?.id}` },
      ])
      expect(await t.events('payment.refunded', order.id)).toMatchObject([{ amount: 8_400 }])
    }
    expect((await s.paymentOf(other.id))?.status).toBe('succeeded')
    // Past the old due time nothing is transferred for the cancelled event.
    t.clock.advance(30 * DAY_MS)
    await s.work()
    expect(s.transfersOf(a.id)).toHaveLength(0)
    expect(s.transfersOf(b.id)).toHaveLength(0)
  })

  it('refunds a payment that succeeds after the cancellation arrived', async () => {
    const { user } = await s.seller()
    const event = await s.event()
    const buyer = await t.auth.user()
    const order = await t.order(buyer.user.id, {
      price: 3_000,
      sellerId: user.id,
      eventId: event.id,
    })
    await s.event({ ...event, status: 'cancelled', version: 1 }, 'event.updated')
    const res = await t.pay(buyer.headers, { orderId: order.id, token: 'tok_visa' })
    expect(res.status).toBe(400)
    expect((await s.paymentOf(order.id))?.status).toBe('refunded')
    await expect(s.payoutOf(order.id)).rejects.toThrow(/no payout/)
  })

  it('skips an older or equal version of the event', async () => {
    const { user } = await s.seller()
    const event = await s.event({ version: 3 })
    const order = await s.paidOrder(user.id, event.id)
    await s.event({ ...event, status: 'cancelled', version: 3 }, 'event.updated')
    await s.event({ ...event, status: 'cancelled', version: 2 }, 'event.updated')
    expect((await s.payoutOf(order.id)).status).toBe('held')
  })
})

describe('an event postponed', () => {
  it('moves the due time of payouts not yet made to the new end + delay', async () => {
    const { user } = await s.seller()
    const event = await s.event()
    const order = await s.paidOrder(user.id, event.id)
    const endsAt = new Date(new Date(event.endsAt as string).getTime() + 30 * DAY_MS)
    const startsAt = new Date(endsAt.getTime() - 3_600_000)
    await s.event(
      {
        ...event,
        status: 'postponed',
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        version: 1,
      },
      'event.updated',
    )
    const due = new Date(endsAt.getTime() + 3 * DAY_MS)
    expect((await s.payoutOf(order.id)).dueAt).toEqual(due)
    t.clock.set(new Date(due.getTime() - 1))
    await s.work()
    expect(s.transfersOf(order.id)).toHaveLength(0)
    t.clock.set(due)
    await s.work()
    expect(s.transfersOf(order.id)).toHaveLength(1)
  })
})

describe('claims', () => {
  it('hold the payout past its due time while open; release lets it go', async () => {
    const { user } = await s.seller()
    const event = await s.event()
    const order = await s.paidOrder(user.id, event.id)
    const claimId = await s.claim(order.id)
    t.clock.set(new Date((await s.payoutOf(order.id)).dueAt.getTime() + DAY_MS))
    await s.work()
    expect(await s.payoutOf(order.id)).toMatchObject({ status: 'held', claimId })
    expect(s.transfersOf(order.id)).toHaveLength(0)
    await s.claim(order.id, 'release', claimId)
    await s.work()
    expect(await s.payoutOf(order.id)).toMatchObject({ status: 'paid', claimId: null })
    expect(s.transfersOf(order.id)).toHaveLength(1)
  })

  it('refund: the buyer gets the total back and the payout is cancelled', async () => {
    const { user } = await s.seller()
    const event = await s.event()
    const order = await s.paidOrder(user.id, event.id)
    const claimId = await s.claim(order.id)
    await s.claim(order.id, 'refund', claimId)
    expect((await s.payoutOf(order.id)).status).toBe('cancelled')
    await refundDue(t.deps)
    expect(await s.paymentOf(order.id)).toMatchObject({ status: 'refunded', amount: 8_400 })
    t.clock.advance(60 * DAY_MS)
    await s.work()
    expect(s.transfersOf(order.id)).toHaveLength(0)
  })

  it('refund after the payout was made reverses the transfer', async () => {
    const { user } = await s.seller()
    const event = await s.event()
    const order = await s.paidOrder(user.id, event.id)
    t.clock.set((await s.payoutOf(order.id)).dueAt)
    await s.work()
    const paid = await s.payoutOf(order.id)
    expect(paid.status).toBe('paid')
    const claimId = await s.claim(order.id)
    await s.claim(order.id, 'refund', claimId)
    await s.work()
    await s.work()
    expect((await s.payoutOf(order.id)).status).toBe('reversed')
    expect(t.gateway.reversals.filter((r) => r.transferId === paid.transferId)).toEqual([
      { transferId: paid.transferId, idempotencyKey: `reversal-${paid.id}` },
    ])
    await refundDue(t.deps)
    expect((await s.paymentOf(order.id))?.status).toBe('refunded')
  })

  it('a refund made by any path (here: a late payment of a cancelled order) cancels the payout', async () => {
    const { user } = await s.seller()
    const order = await s.paidOrder(user.id, null)
    const { markRefunded } = await import('./refund-payment.ts')
    const { inTransaction } = await import('@twtix/common')
    const payment = await s.paymentOf(order.id)
    await inTransaction(t.deps, (tx) => markRefunded(t.deps, tx, payment?.id as string))
    expect((await s.payoutOf(order.id)).status).toBe('cancelled')
  })
})
