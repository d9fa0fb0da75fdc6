import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestShop, soldTicket, type TestShop, textOf, visitor } from '../test-support.ts'

const ADMIN = `ops-${crypto.randomUUID().slice(0, 8)}@example.test`
const ADMIN2 = `ops-${crypto.randomUUID().slice(0, 8)}@example.test`
let shop: TestShop
beforeAll(async () => {
  shop = await createTestShop({ apiEnv: { ADMIN_EMAILS: `${ADMIN},${ADMIN2}` } })
})
afterAll(async () => {
  await shop?.stop()
})

/** A paid order with a claim its buyer opened, and the claim's order id. */
async function claimedOrder() {
  const { buyer, orderPath } = await soldTicket(shop, 8000)
  await eventually(async () => {
    const page = await buyer.get(orderPath)
    return page.html.includes('Open a claim') ? page : undefined
  })
  const claimed = await buyer.post(`${orderPath}/claim`, { reason: 'invalid' })
  expect(claimed.path).toBe(`${orderPath}?notice=claimed`)
  return { orderId: orderPath.slice('/orders/'.length) }
}

describe('the admin claims page', () => {
  it('lists an open claim for an admin, linked from the menu, and resolves it with a refund', async () => {
    const { orderId } = await claimedOrder()
    const admin = visitor(shop)
    await admin.signUp('ops', ADMIN)
    const home = await admin.get('/')
    expect(home.html).toContain('href="/admin/claims"')
    const page = await eventually(async () => {
      const p = await admin.get('/admin/claims')
      return p.html.includes(orderId) ? p : undefined
    })
    expect(page.status).toBe(200)
    const action = page.html.match(/action="(\/admin\/claims\/[^"]+\/resolve)"/g) ?? []
    expect(action.length).toBeGreaterThanOrEqual(2)
    const claimAction = new RegExp(`Order ${orderId}[\\s\\S]*?action="([^"]+)"`).exec(
      page.html,
    )?.[1]
    expect(claimAction).toMatch(/^\/admin\/claims\/[^/]+\/resolve$/)

    const resolved = await admin.post(claimAction as string, { outcome: 'refund' })
    expect(resolved.path).toBe('/admin/claims?notice=claim-resolved')
    expect(textOf(resolved.html)).toContain('The claim is resolved.')
    expect(resolved.html).not.toContain(orderId)

    const again = await admin.post(claimAction as string, { outcome: 'release' })
    expect(again.status).toBe(409)
  })

  it('refuses a user the page and the resolution, and keeps the claim open', async () => {
    const { orderId } = await claimedOrder()
    const user = visitor(shop)
    await user.signUp('fan')
    const home = await user.get('/')
    expect(home.html).not.toContain('href="/admin/claims"')
    const refused = await user.get('/admin/claims')
    expect(refused.status).toBe(403)
    expect(textOf(refused.html)).toContain('Only an admin may do this.')
    const admin = visitor(shop)
    await admin.signUp('ops2', ADMIN2)
    const page = await eventually(async () => {
      const p = await admin.get('/admin/claims')
      return p.html.includes(orderId) ? p : undefined
    })
    const claimAction = new RegExp(`Order ${orderId}[\\s\\S]*?action="([^"]+)"`).exec(
      page.html,
    )?.[1]
    const post = await user.post(claimAction as string, { outcome: 'refund' })
    expect(post.status).toBe(403)
    expect((await admin.get('/admin/claims')).html).toContain(orderId)
  })
})
