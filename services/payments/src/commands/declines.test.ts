import { describe, expect, it } from 'vitest'
import { setupPayments } from '../test-support.ts'
import { TOO_MANY_DECLINES } from './start-payment.ts'

/** Card testing (issue 13, item 3): declines are capped per order and per buyer, attempts per minute. */
const t = await setupPayments({
  PAYMENT_DECLINES_PER_ORDER: '3',
  PAYMENT_DECLINES_PER_USER: '5',
  PAYMENT_DECLINE_WINDOW_SECONDS: '3600',
  RATE_LIMIT_PAYMENTS_PER_MINUTE: '7',
})

const declined = 'tok_chargeDeclined'

describe('declined payments', () => {
  it("ends an order's payments at its last allowed decline, which says so to orders", async () => {
    const buyer = await t.auth.user()
    const order = await t.order(buyer.user.id)
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      statuses.push((await t.pay(buyer.headers, { orderId: order.id, token: declined })).status)
    }
    expect(statuses).toEqual([402, 402, 402])
    const failed = await t.events('payment.failed', order.id)
    expect(failed.map((e) => e.tooManyDeclines ?? false)).toEqual([false, false, true])
    const charges = t.gateway.charges.length
    // Even a good card is refused now, before the gateway is asked.
    const after = await t.pay(buyer.headers, { orderId: order.id, token: 'tok_visa' })
    expect(after.status).toBe(400)
    expect(await after.json()).toEqual({ errors: [{ message: TOO_MANY_DECLINES }] })
    expect(t.gateway.charges.length).toBe(charges)
  })

  it('makes a buyer with too many declines over all orders wait until the window moves on', async () => {
    const buyer = await t.auth.user()
    const orders = [await t.order(buyer.user.id), await t.order(buyer.user.id)]
    for (const order of orders) {
      for (let i = 0; i < 2; i++) await t.pay(buyer.headers, { orderId: order.id, token: declined })
    }
    t.clock.advance(61_000)
    const third = await t.order(buyer.user.id)
    expect((await t.pay(buyer.headers, { orderId: third.id, token: declined })).status).toBe(402)
    const refused = await t.pay(buyer.headers, { orderId: third.id, token: 'tok_visa' })
    expect(refused.status).toBe(429)
    const wait = Number(refused.headers.get('Retry-After'))
    expect(wait).toBeGreaterThan(3500)
    expect(wait).toBeLessThanOrEqual(3600)
    // Another buyer is not affected.
    const other = await t.auth.user()
    const theirs = await t.order(other.user.id)
    expect((await t.pay(other.headers, { orderId: theirs.id, token: 'tok_visa' })).status).toBe(201)
    t.clock.advance(3600_000)
    const later = await t.order(buyer.user.id)
    expect((await t.pay(buyer.headers, { orderId: later.id, token: 'tok_visa' })).status).toBe(201)
  })

  it('limits the charges a buyer attempts per minute, not the requests refused before', async () => {
    const buyer = await t.auth.user()
    // Polling until payments has heard of the order (404) spends nothing.
    for (let i = 0; i < 10; i++) {
      const unknown = await t.pay(buyer.headers, {
        orderId: crypto.randomUUID(),
        token: 'tok_visa',
      })
      expect(unknown.status).toBe(404)
    }
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      const order = await t.order(buyer.user.id)
      statuses.push((await t.pay(buyer.headers, { orderId: order.id, token: declined })).status)
      statuses.push((await t.pay(buyer.headers, { orderId: order.id, token: 'tok_visa' })).status)
    }
    // Seven charges, declined or made, then the eighth waits for the minute to end.
    expect(statuses).toEqual([402, 201, 402, 201, 402, 201, 402, 429])
  })
})
