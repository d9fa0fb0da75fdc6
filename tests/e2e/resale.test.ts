import { manualClock, memoryLogger } from '@twtix/common'
import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmbedded, type Embedded } from '../../embedded/create-embedded.ts'
import { type ApiClient, apiClient } from './client.ts'

const DAY = 24 * 60 * 60 * 1000
const PASSWORD = 'correct horse battery'
const ADMIN = `admin-${crypto.randomUUID().slice(0, 8)}@example.test`
const clock = manualClock(new Date())
let embedded: Embedded
let api: ApiClient

beforeAll(async () => {
  embedded = await createEmbedded({
    env: { ADMIN_EMAILS: ADMIN, PAYOUT_DELAY_DAYS: '3' },
    clock,
    logger: memoryLogger('error'),
    policy: { maxAttempts: 20, backoffMs: () => 20 },
  })
  api = apiClient(embedded.fetch, 'http://twtix.test')
})
afterAll(async () => {
  await embedded?.stop()
})

const until = <T>(check: () => Promise<T>, message: string) =>
  eventually(check, { timeoutMs: 10_000, intervalMs: 50, message })

type Person = { id: string; email: string; token: string }

async function signUp(name: string, email = `${name}-${crypto.randomUUID().slice(0, 8)}@x.test`) {
  const res = await api.post('/api/users/signup', { email, password: PASSWORD })
  expect(res.status).toBe(201)
  return { id: res.body.id as string, email, token: res.body.token as string }
}

/** Access tokens last minutes: after the clock moves days, everyone signs in again. */
async function signInAgain(...people: Person[]) {
  for (const p of people) {
    const res = await api.post('/api/users/signin', { email: p.email, password: PASSWORD })
    expect(res.status).toBe(200)
    p.token = res.body.token
  }
}

async function createEvent(by: Person, name: string, startsInDays: number) {
  const startsAt = new Date(clock().getTime() + startsInDays * DAY)
  const res = await api.post(
    '/api/events',
    {
      name,
      venue: 'Tokyo Dome',
      city: 'Tokyo',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3 * 60 * 60 * 1000).toISOString(),
    },
    by.token,
  )
  expect(res.status).toBe(201)
  return res.body as { id: string; endsAt: string }
}

async function list(seller: Person, eventId: string, price: number) {
  const res = await api.post('/api/tickets', { eventId, faceValue: 10_000, price }, seller.token)
  expect(res.status).toBe(201)
  return res.body as { id: string }
}

async function order(buyer: Person, ticketId: string) {
  return until(async () => {
    const res = await api.post('/api/orders', { ticketId }, buyer.token)
    return res.status === 201 ? res.body : undefined
  }, 'orders never saw the ticket')
}

async function pay(buyer: Person, orderId: string) {
  const paid = await until(async () => {
    const res = await api.post('/api/payments', { orderId, token: 'tok_visa' }, buyer.token)
    return res.status === 404 ? undefined : res
  }, 'payments never saw the order')
  expect(paid.status).toBe(201)
  await until(
    async () => (await api.get(`/api/orders/${orderId}`, buyer.token)).body.status === 'complete',
    'the order never completed',
  )
  return paid.body
}

describe('the resale story of issue 11, on the embedded start', () => {
  it('caps the price, delivers to the buyer only, and pays the seller after the event', async () => {
    const [seller, buyer, stranger] = [
      await signUp('seller'),
      await signUp('buyer'),
      await signUp('stranger'),
    ]
    const event = await createEvent(seller, `Arena tour ${crypto.randomUUID()}`, 10)

    const above = await api.post(
      '/api/tickets',
      { eventId: event.id, faceValue: 10_000, price: 12_000 },
      seller.token,
    )
    expect(above.status).toBe(400)
    expect(above.body.errors[0]).toMatchObject({ field: 'price' })
    expect(above.body.errors[0].message).toMatch(/face value/i)
    const ticket = await list(seller, event.id, 10_000)

    const placed = await order(buyer, ticket.id)
    expect(placed).toMatchObject({ price: 10_000, buyerFee: 500, total: 10_500 })
    expect(await pay(buyer, placed.id)).toMatchObject({ amount: 10_500 })

    const delivery = `/api/orders/${placed.id}/ticket`
    await until(async () => (await api.get(delivery, buyer.token)).status === 409, 'never paid')
    const added = await api.put(
      `/api/tickets/${ticket.id}/delivery`,
      { code: 'QR-20261204' },
      seller.token,
    )
    expect(added.status).toBe(200)
    expect(await api.get(delivery, buyer.token)).toMatchObject({
      status: 200,
      body: { kind: 'code', value: 'QR-20261204' },
    })
    expect((await api.get(delivery, seller.token)).status).toBe(404)
    expect((await api.get(delivery, stranger.token)).status).toBe(404)

    // The seller is paid price − 5 % after the event's end + PAYOUT_DELAY_DAYS, not before.
    const payout = await until(async () => {
      const res = await api.get('/api/payouts', seller.token)
      return res.body.find((p: { orderId: string }) => p.orderId === placed.id)
    }, 'no payout for the sale')
    expect(payout).toMatchObject({ amount: 9_500, status: 'scheduled' })
    expect(Date.parse(payout.dueAt)).toBe(Date.parse(event.endsAt) + 3 * DAY)
    const link = await api.post('/api/payouts/account', {}, seller.token)
    expect(link.status).toBe(200)
    // Offline, the onboarding link is twtix's own route completing it (Stripe's page otherwise).
    const onboarding = new URL(link.body.url, 'http://twtix.test')
    const onboarded = await api.get(onboarding.pathname + onboarding.search, seller.token)
    expect(onboarded.body).toMatchObject({ payoutsEnabled: true })

    clock.set(new Date(Date.parse(payout.dueAt) - 60_000))
    await signInAgain(seller)
    const early = await api.get('/api/payouts', seller.token)
    expect(early.body.find((p: { orderId: string }) => p.orderId === placed.id).status).toBe(
      'scheduled',
    )
    clock.advance(2 * 60_000)
    const paid = await until(async () => {
      const res = await api.get('/api/payouts', seller.token)
      const p = res.body.find((x: { orderId: string }) => x.orderId === placed.id)
      return p?.status === 'paid' ? p : undefined
    }, 'the payout was never paid')
    expect(paid.transferId).toEqual(expect.any(String))
  })

  it('refunds every paid order of a cancelled event in full and cancels the open ones', async () => {
    const [seller, paying, holding, admin] = [
      await signUp('seller'),
      await signUp('paying'),
      await signUp('holding'),
      await signUp('admin', ADMIN),
    ]
    const event = await createEvent(seller, `Cancelled live ${crypto.randomUUID()}`, 20)
    const [sold, held] = [await list(seller, event.id, 8_000), await list(seller, event.id, 9_000)]
    const paidOrder = await order(paying, sold.id)
    await pay(paying, paidOrder.id)
    const openOrder = await order(holding, held.id)

    expect((await api.post(`/api/events/${event.id}/cancel`, {}, seller.token)).status).toBe(403)
    const cancelled = await api.post(`/api/events/${event.id}/cancel`, {}, admin.token)
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({ status: 'cancelled' })

    const refunded = await until(async () => {
      const o = (await api.get(`/api/orders/${paidOrder.id}`, paying.token)).body
      return o.refundedAt ? o : undefined
    }, 'the paid order was never refunded')
    expect(refunded).toMatchObject({ total: 8_400 })
    await until(
      async () =>
        (await api.get(`/api/orders/${openOrder.id}`, holding.token)).body.status === 'cancelled',
      'the open order was never cancelled',
    )
    const payouts = await api.get('/api/payouts', seller.token)
    expect(payouts.body.find((p: { orderId: string }) => p.orderId === paidOrder.id).status).toBe(
      'cancelled',
    )
    const again = await api.post('/api/orders', { ticketId: held.id }, paying.token)
    expect(again.status).toBe(400)
  })
})
