import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestShop, type TestShop, textOf, visitor } from '../test-support.ts'

let shop: TestShop
beforeAll(async () => {
  shop = await createTestShop()
})
afterAll(async () => {
  await shop?.stop()
})

describe('My sales', () => {
  it("shows the seller's sold tickets with their payout status, and sets up payouts", async () => {
    const seller = visitor(shop)
    await seller.signUp('seller')
    const empty = await seller.get('/sales')
    expect(empty.status).toBe(200)
    expect(textOf(empty.html)).toContain('Nothing sold yet.')

    const ticketId = await seller.sell('Budokan, row 9', 8000)
    const buyer = visitor(shop)
    await buyer.signUp('buyer')
    const order = await eventually(async () => {
      const page = await buyer.post(`/tickets/${ticketId}/buy`, {})
      return page.path.startsWith('/orders/') ? page : undefined
    })
    await eventually(async () => {
      const page = await buyer.post(`${order.path}/pay`, {
        token: 'tok_visa',
        idempotencyKey: crypto.randomUUID(),
      })
      return page.status === 409 ? undefined : page
    })
    // 8,000 less the 5 % seller fee, waiting for the event.
    const sold = await eventually(async () => {
      const page = await seller.get('/sales')
      return textOf(page.html).includes('¥7,600') ? page : undefined
    })
    expect(textOf(sold.html)).toContain('Scheduled')

    const onboarded = await seller.post('/sales/onboard', {})
    expect(onboarded.path).toBe('/sales?notice=onboarded')
    expect(textOf(onboarded.html)).toContain('Your payout account is ready.')
  })

  it('asks a signed-out visitor to sign in', async () => {
    const page = await visitor(shop).get('/sales')
    expect(page.path).toBe('/signin?next=%2Fsales')
  })
})
