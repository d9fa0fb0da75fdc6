import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestShop, type TestShop, textOf } from './test-support.ts'

let shop: TestShop
let withPublicUrl: TestShop
beforeAll(async () => {
  shop = await createTestShop()
  withPublicUrl = await createTestShop({ env: { PUBLIC_URL: 'https://shop.example' } })
})
afterAll(async () => {
  await shop?.stop()
  await withPublicUrl?.stop()
})

const signOut = (target: TestShop, headers: Record<string, string>) =>
  target.storefront.app.request('/signout', { method: 'POST', headers })

describe('form posts from other sites', () => {
  it.each([
    ['no Origin and no Referer', {}],
    ['another Origin', { Origin: 'https://evil.example' }],
    ['Origin null', { Origin: 'null', Referer: 'http://localhost/' }],
    ['another scheme', { Origin: 'https://localhost' }],
    ['a Referer from another site', { Referer: 'https://evil.example/localhost/' }],
  ])('are refused with a 403 page: %s', async (_, headers) => {
    const res = await signOut(shop, headers)
    expect(res.status).toBe(403)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect(textOf(await res.text())).toContain('This form was not sent from this shop')
  })

  it('are accepted from the shop itself, by Origin or by Referer', async () => {
    expect((await signOut(shop, { Origin: 'http://localhost' })).status).toBe(303)
    expect((await signOut(shop, { Referer: 'http://localhost/orders' })).status).toBe(303)
  })

  it('follow the scheme the ingress reports', async () => {
    const headers = { Origin: 'https://localhost', 'X-Forwarded-Proto': 'https' }
    expect((await signOut(shop, headers)).status).toBe(303)
  })

  it('must come from PUBLIC_URL when it is configured', async () => {
    expect((await signOut(withPublicUrl, { Origin: 'http://localhost' })).status).toBe(403)
    expect((await signOut(withPublicUrl, { Origin: 'https://shop.example' })).status).toBe(303)
  })

  it('leave reading pages alone', async () => {
    const res = await shop.storefront.app.request('/', {
      headers: { Origin: 'https://evil.example' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('X-Frame-Options')).toBe('SAMEORIGIN')
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'")
  })
})
