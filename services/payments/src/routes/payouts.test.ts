import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { sellerAccounts } from '../db/schema.ts'
import type { PaymentGateway } from '../gateway/port.ts'
import { payoutsSupport } from '../payouts-support.ts'
import { setupPayments, WEBHOOK_SECRET } from '../test-support.ts'

const t = await setupPayments()
const s = payoutsSupport(t)

const post = (path: string, headers: object = {}) =>
  t.app.request(path, { method: 'POST', headers: { ...headers } })
const get = (path: string, headers: object = {}) => t.app.request(path, { headers: { ...headers } })

describe('POST /api/payouts/account', () => {
  it('creates the Connect account once and returns an onboarding link that completes it offline', async () => {
    const { user, headers } = await t.auth.user()
    const first = await post('/api/payouts/account', headers)
    expect(first.status).toBe(200)
    const body = await first.json()
    expect(body).toEqual({
      accountId: expect.stringMatching(/^acct_offline_/),
      payoutsEnabled: false,
      url: `/api/payouts/account/offline-onboarding?account=${body.accountId}`,
    })
    const again = await (await post('/api/payouts/account', headers)).json()
    expect(again.accountId).toBe(body.accountId)
    expect(await t.db.$count(sellerAccounts)).toBeGreaterThan(0)

    // Someone else cannot complete it.
    const other = await t.auth.user()
    expect((await get(body.url, other.headers)).status).toBe(404)
    expect((await get(body.url)).status).toBe(401)

    const done = await get(body.url, headers)
    expect(done.status).toBe(200)
    expect(await done.json()).toMatchObject({ accountId: body.accountId, payoutsEnabled: true })
    const [row] = (await t.db.select().from(sellerAccounts)).filter((a) => a.userId === user.id)
    expect(row?.payoutsEnabled).toBe(true)
  })

  it('refuses the offline completion with a real gateway, and a malformed account id', async () => {
    const { headers } = await t.auth.user()
    const { accountId } = await (await post('/api/payouts/account', headers)).json()
    const stripe: PaymentGateway = { ...t.gateway, name: 'stripe' }
    const app = createApp({ ...t.deps, gateway: stripe })
    const res = await app.request(`/api/payouts/account/offline-onboarding?account=${accountId}`, {
      headers,
    })
    expect(res.status).toBe(404)
    const bad = await get('/api/payouts/account/offline-onboarding?account=x%27--', headers)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({
      errors: [{ message: 'Account must be an account id (acct_...)', field: 'account' }],
    })
  })

  it('needs a session', async () => {
    expect((await post('/api/payouts/account')).status).toBe(401)
  })
})

describe('GET /api/payouts', () => {
  it("lists only the caller's payouts, newest first, a page at a time, with their status", async () => {
    const { user, headers } = await s.seller(false)
    const event = await s.event()
    const first = await s.paidOrder(user.id, event.id)
    t.clock.advance(1000)
    const second = await s.paidOrder(user.id, event.id)
    t.clock.advance(1000)
    const third = await s.paidOrder(user.id, event.id)
    await s.claim(third.id)
    const stranger = await s.seller()
    await s.paidOrder(stranger.user.id, event.id)

    const page1 = await get('/api/payouts?limit=2', headers)
    expect(page1.status).toBe(200)
    const body1 = await page1.json()
    expect(body1.map((p: { orderId: string }) => p.orderId)).toEqual([third.id, second.id])
    expect(body1[0]).toMatchObject({ status: 'held', reason: 'a claim is open', amount: 7_600 })
    expect(body1[1]).toMatchObject({ status: 'scheduled', reason: null, currency: 'JPY' })
    const link = page1.headers.get('Link')
    expect(link).toMatch(/rel="next"/)
    const next = /<([^>]+)>/.exec(link as string)?.[1] as string
    const body2 = await (await get(next, headers)).json()
    expect(body2.map((p: { orderId: string }) => p.orderId)).toEqual([first.id])

    // Due without onboarding: blocked, and the seller is told why.
    t.clock.set(new Date(body2[0].dueAt))
    await s.work()
    const [blocked] = await (await get('/api/payouts?limit=100', headers))
      .json()
      .then((all) => all.filter((p: { orderId: string }) => p.orderId === first.id))
    expect(blocked).toMatchObject({ status: 'blocked', reason: 'onboarding incomplete' })
  })

  it('refuses a bad limit or cursor with 400, and a missing session with 401', async () => {
    const { headers } = await t.auth.user()
    const limit = await get('/api/payouts?limit=0', headers)
    expect(limit.status).toBe(400)
    expect((await limit.json()).errors[0].field).toBe('limit')
    const cursor = await get('/api/payouts?cursor=bm90LWEtY3Vyc29y', headers)
    expect(cursor.status).toBe(400)
    expect(await cursor.json()).toEqual({
      errors: [{ message: 'Cursor is invalid', field: 'cursor' }],
    })
    expect((await get('/api/payouts')).status).toBe(401)
  })
})

describe('GET /api/payouts/all', () => {
  it('is for admins only, and filters by stored status', async () => {
    const { user } = await s.seller()
    const order = await s.paidOrder(user.id, null)
    const admin = await t.auth.admin()
    const res = await get('/api/payouts/all?status=held&limit=100', admin.headers)
    expect(res.status).toBe(200)
    const all = await res.json()
    expect(all.some((p: { orderId: string }) => p.orderId === order.id)).toBe(true)
    expect(all.every((p: { status: string }) => ['scheduled', 'held'].includes(p.status))).toBe(
      true,
    )
    const seller = await t.auth.user()
    const forbidden = await get('/api/payouts/all', seller.headers)
    expect(forbidden.status).toBe(403)
    expect(await forbidden.json()).toEqual({ errors: [{ message: 'Admins only' }] })
    expect((await get('/api/payouts/all')).status).toBe(401)
    const bad = await get('/api/payouts/all?status=stolen', admin.headers)
    expect(bad.status).toBe(400)
    expect((await bad.json()).errors[0].field).toBe('status')
  })
})

describe('account.updated webhook', () => {
  it('enables payouts for a known account, and unblocks its blocked payouts', async () => {
    const { user, accountId } = await s.seller(false)
    const order = await s.paidOrder(user.id, null)
    t.clock.set((await s.payoutOf(order.id)).dueAt)
    await s.work()
    expect((await s.payoutOf(order.id)).status).toBe('blocked')

    const body = JSON.stringify({
      id: `evt_${crypto.randomUUID().replaceAll('-', '')}`,
      object: 'event',
      type: 'account.updated',
      data: { object: { id: accountId, object: 'account', payouts_enabled: true } },
    })
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: WEBHOOK_SECRET,
    })
    const res = await t.app.request('/api/payments/webhook', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
      body,
    })
    expect(res.status).toBe(200)
    expect((await s.payoutOf(order.id)).status).toBe('held')
    await s.work()
    expect((await s.payoutOf(order.id)).status).toBe('paid')
  })
})
