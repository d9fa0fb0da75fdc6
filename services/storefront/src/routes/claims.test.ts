import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestShop, soldTicket, type TestShop, textOf } from '../test-support.ts'

let shop: TestShop
beforeAll(async () => {
  shop = await createTestShop()
})
afterAll(async () => {
  await shop?.stop()
})

async function paidOrderPage() {
  const { buyer, orderPath } = await soldTicket(shop, 8000)
  const paid = await eventually(async () => {
    const page = await buyer.get(orderPath)
    return page.html.includes('Open a claim') ? page : undefined
  })
  return { buyer, orderPath, paid }
}

describe('a claim from the order page', () => {
  it('offers the form on a paid order, opens the claim and shows it', async () => {
    const { buyer, orderPath, paid } = await paidOrderPage()
    expect(paid.html).toContain(`action="${orderPath}/claim"`)
    const page = await buyer.post(`${orderPath}/claim`, {
      reason: 'not received',
      details: 'No e-ticket yet',
    })
    expect(page.status).toBe(200)
    expect(page.path).toBe(`${orderPath}?notice=claimed`)
    expect(textOf(page.html)).toContain('You opened a claim (not received)')
    expect(page.html).not.toContain('Open a claim</button>')
  })

  it('shows the API’s refusal on the page and keeps what was written', async () => {
    const { buyer, orderPath } = await paidOrderPage()
    const page = await buyer.post(`${orderPath}/claim`, { reason: 'lost', details: 'Kept text' })
    expect(page.status).toBe(400)
    expect(textOf(page.html)).toContain('reason must be one of')
    expect(page.html).toContain('Kept text')
  })
})
