import { describe, expect, it } from 'vitest'
import { setupPayments } from '../test-support.ts'

const t = await setupPayments()

describe('the amount charged', () => {
  it('is the order total: the price and the buyer fee', async () => {
    const { user, headers } = await t.auth.user()
    const fees = { buyerFee: 400, sellerFee: 400, total: 8_400 }
    const order = await t.order(user.id, { price: 8_000, fees })
    const res = await t.pay(headers, { orderId: order.id, token: 'tok_visa' })
    expect(res.status).toBe(201)
    const [charge] = t.gateway.charges.filter((c) => c.metadata.orderId === order.id)
    expect(charge?.amount).toBe(8_400)
    expect((await t.paymentsOf(order.id))[0]?.amount).toBe(8_400)
    expect(await t.events('payment.succeeded', order.id)).toMatchObject([{ amount: 8_400 }])
  })

  it('is the price for an order announced before fees existed', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id, { price: 6_000 })
    expect((await t.pay(headers, { orderId: order.id, token: 'tok_visa' })).status).toBe(201)
    const [charge] = t.gateway.charges.filter((c) => c.metadata.orderId === order.id)
    expect(charge?.amount).toBe(6_000)
  })
})
