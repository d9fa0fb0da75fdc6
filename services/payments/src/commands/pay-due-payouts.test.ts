import { describe, expect, it } from 'vitest'
import { DAY_MS, payoutsSupport } from '../payouts-support.ts'
import { setupPayments } from '../test-support.ts'
import { payDuePayouts, retryDelayMs } from './pay-due-payouts.ts'

const t = await setupPayments()
const s = payoutsSupport(t)

describe('payouts worker', () => {
  it('holds the payout until the event end + PAYOUT_DELAY_DAYS, then transfers price − seller fee once', async () => {
    const { user, accountId } = await s.seller()
    const event = await s.event()
    const order = await s.paidOrder(user.id, event.id)
    const payout = await s.payoutOf(order.id)
    const due = new Date(new Date(event.endsAt as string).getTime() + 3 * DAY_MS)
    expect(payout).toMatchObject({ status: 'held', amount: 7_600, dueAt: due, sellerId: user.id })
    // The charge carries the transfer group tying it to the seller's transfer.
    const [charge] = t.gateway.charges.filter((c) => c.metadata.orderId === order.id)
    expect(charge?.transferGroup).toBe(`order_${order.id}`)

    t.clock.set(new Date(due.getTime() - 1))
    await s.work()
    expect((await s.payoutOf(order.id)).status).toBe('held')
    expect(s.transfersOf(order.id)).toHaveLength(0)

    t.clock.set(due)
    await s.work()
    await s.work()
    expect(await s.payoutOf(order.id)).toMatchObject({ status: 'paid', paidAt: due })
    expect(s.transfersOf(order.id)).toEqual([
      {
        amount: 7_600,
        currency: 'jpy',
        destination: accountId,
        sourceTransaction: payout.chargeId,
        transferGroup: `order_${order.id}`,
        idempotencyKey: `payout-${payout.id}`,
        metadata: { orderId: order.id, payoutId: payout.id },
      },
    ])
    // The charge = the seller's transfer + both fees.
    expect((await s.paymentOf(order.id))?.amount).toBe(7_600 + 400 + 400)
  })

  it('dates a payout from the start when the end is unknown, and from the payment without an event', async () => {
    const { user } = await s.seller()
    const event = await s.event({ endsAt: null })
    const order = await s.paidOrder(user.id, event.id)
    expect((await s.payoutOf(order.id)).dueAt).toEqual(
      new Date(new Date(event.startsAt).getTime() + 3 * DAY_MS),
    )
    const loose = await s.paidOrder(user.id, null)
    expect((await s.payoutOf(loose.id)).dueAt).toEqual(new Date(t.clock().getTime() + 3 * DAY_MS))
  })

  it('blocks a due payout without onboarding, and pays it after account.updated enables it', async () => {
    const { user, accountId } = await s.seller(false)
    const event = await s.event()
    const order = await s.paidOrder(user.id, event.id)
    t.clock.set((await s.payoutOf(order.id)).dueAt)
    expect((await s.work()).blocked).toBeGreaterThanOrEqual(1)
    expect((await s.payoutOf(order.id)).status).toBe('blocked')
    expect(s.transfersOf(order.id)).toHaveLength(0)

    const { setPayoutsEnabled } = await import('./seller-account.ts')
    expect(await setPayoutsEnabled(t.deps, accountId, true)).toBe(true)
    expect((await s.payoutOf(order.id)).status).toBe('held')
    await s.work()
    expect((await s.payoutOf(order.id)).status).toBe('paid')
    expect(s.transfersOf(order.id)).toHaveLength(1)
  })

  it('transfers once when the worker dies between the gateway call and the commit', async () => {
    const { user } = await s.seller()
    const event = await s.event()
    const order = await s.paidOrder(user.id, event.id)
    t.clock.set((await s.payoutOf(order.id)).dueAt)
    // The transfer is made, then the process dies before recording it: the transaction rolls back.
    let crash = true
    const dying = {
      ...t.gateway,
      transfer: async (input: Parameters<typeof t.gateway.transfer>[0]) => {
        const made = await t.gateway.transfer(input)
        if (crash) {
          crash = false
          throw new Error('killed after the transfer')
        }
        return made
      },
    }
    await payDuePayouts({ ...t.deps, gateway: dying })
    expect((await s.payoutOf(order.id)).status).toBe('held')
    // The failure is recorded: the next try waits its second of backoff.
    t.clock.set(new Date(t.clock().getTime() + 1000))
    await payDuePayouts({ ...t.deps, gateway: dying })
    const payout = await s.payoutOf(order.id)
    expect(payout.status).toBe('paid')
    // Two calls, one key: the gateway answered the second with the first transfer.
    const calls = s.transfersOf(order.id)
    expect(calls).toHaveLength(2)
    expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([`payout-${payout.id}`]))
    expect(payout.transferId).toMatch(/^tr_offline_/)
    expect(await t.gateway.transfer(calls[0] as (typeof calls)[0])).toEqual({
      id: payout.transferId,
    })
  })

  it('never pays one payout twice when two workers run at once', async () => {
    const { user } = await s.seller()
    const event = await s.event()
    const orders = [await s.paidOrder(user.id, event.id), await s.paidOrder(user.id, event.id)]
    t.clock.set((await s.payoutOf(orders[0]?.id as string)).dueAt)
    await Promise.all([s.work(), s.work(), s.work()])
    for (const order of orders) {
      expect((await s.payoutOf(order.id)).status).toBe('paid')
      expect(s.transfersOf(order.id)).toHaveLength(1)
    }
  })

  it('backs a failing payout off (1 s, 2 s, 4 s … 1 h) while the next due one is paid', async () => {
    const { user } = await s.seller()
    // The earlier payout is the head of the queue, and its transfer keeps failing.
    const stuck = await s.paidOrder(user.id, null)
    t.clock.set(new Date(t.clock().getTime() + 60_000))
    const next = await s.paidOrder(user.id, null)
    const stuckPayout = await s.payoutOf(stuck.id)
    const nextPayout = await s.payoutOf(next.id)
    expect(stuckPayout.dueAt.getTime()).toBeLessThan(nextPayout.dueAt.getTime())
    let failing = true
    const gateway = {
      ...t.gateway,
      transfer: async (input: Parameters<typeof t.gateway.transfer>[0]) => {
        if (failing && input.metadata.payoutId === stuckPayout.id) {
          throw new Error('Stripe is unavailable')
        }
        return t.gateway.transfer(input)
      },
    }
    const work = () => payDuePayouts({ ...t.deps, gateway })
    const due = nextPayout.dueAt
    t.clock.set(due)

    const first = await work()
    expect(first).toMatchObject({ failed: 1 })
    expect(first.paid).toBeGreaterThanOrEqual(1)
    expect(await s.payoutOf(next.id)).toMatchObject({ status: 'paid', paidAt: due })
    expect(await s.payoutOf(stuck.id)).toMatchObject({
      status: 'held',
      attempts: 1,
      nextAttemptAt: new Date(due.getTime() + 1000),
    })
    const logged = t.logger.lines.filter(
      (l) => l.includes('payout transfer failed; will retry') && l.includes(stuckPayout.id),
    )
    expect(logged).toHaveLength(1)
    expect(JSON.parse(logged[0] as string)).toMatchObject({ payoutId: stuckPayout.id, attempts: 1 })
    expect(logged[0]).not.toContain('sk_test_secret')

    // Not before its backoff; each failure doubles it.
    t.clock.set(new Date(due.getTime() + 999))
    expect((await work()).failed).toBe(0)
    t.clock.set(new Date(due.getTime() + 1000))
    expect((await work()).failed).toBe(1)
    expect(await s.payoutOf(stuck.id)).toMatchObject({
      attempts: 2,
      nextAttemptAt: new Date(due.getTime() + 3000),
    })

    failing = false
    t.clock.set(new Date(due.getTime() + 3000))
    await work()
    expect(await s.payoutOf(stuck.id)).toMatchObject({ status: 'paid', attempts: 2 })
    expect(s.transfersOf(stuck.id).filter((x) => x.metadata.payoutId)).toHaveLength(1)
  })

  it('caps the backoff at an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000])
    expect(retryDelayMs(12)).toBe(2_048_000)
    expect(retryDelayMs(13)).toBe(3_600_000)
    expect(retryDelayMs(60)).toBe(3_600_000)
  })
})
