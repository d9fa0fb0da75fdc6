import { manualClock, memoryLogger } from '@twtix/common'
import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmbedded, type Embedded } from '../../embedded/create-embedded.ts'
import { type ApiClient, apiClient } from './client.ts'

const HOUR = 60 * 60 * 1000
const clock = manualClock(new Date())
let embedded: Embedded
let api: ApiClient

beforeAll(async () => {
  embedded = await createEmbedded({
    env: { DELIVERY_DEADLINE_HOURS: '24', DELIVERY_SWEEP_CRON: '* * * * * *' },
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

async function signUp(name: string) {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`
  const res = await api.post('/api/users/signup', { email, password: 'correct horse battery' })
  return { ...(res.body as { id: string; token: string }), email }
}

/** A ticket of an event starting in `hours`, bought and paid for through the public API. */
async function paidOrder(hours: number) {
  const [seller, buyer] = [await signUp('seller'), await signUp('buyer')]
  const startsAt = new Date(clock().getTime() + hours * HOUR).toISOString()
  const event = await api.post(
    '/api/events',
    { name: `Live ${crypto.randomUUID()}`, venue: 'Zepp Haneda', city: 'Tokyo', startsAt },
    seller.token,
  )
  const ticket = await api.post(
    '/api/tickets',
    { eventId: event.body.id, faceValue: 9000, price: 9000 },
    seller.token,
  )
  expect(ticket.body.delivery).toBe('pending')
  const order = await until(async () => {
    const res = await api.post('/api/orders', { ticketId: ticket.body.id }, buyer.token)
    return res.status === 201 ? res.body : undefined
  }, 'could not order')
  await until(async () => {
    const res = await api.post(
      '/api/payments',
      { orderId: order.id, token: 'tok_visa' },
      buyer.token,
    )
    return res.status === 201
  }, 'could not pay')
  await until(
    async () => (await api.get(`/api/orders/${order.id}`, buyer.token)).body.status === 'complete',
    'order never complete',
  )
  return { seller, buyer, ticketId: ticket.body.id as string, orderId: order.id as string }
}

describe('delivery through the embedded start', () => {
  it('gives the paid buyer the code through /api/orders/:id/ticket, and nobody else', async () => {
    const { seller, buyer, ticketId, orderId } = await paidOrder(72)
    const path = `/api/orders/${orderId}/ticket`
    await until(async () => (await api.get(path, buyer.token)).status === 409, 'never paid here')
    expect(
      (await api.put(`/api/tickets/${ticketId}/delivery`, { code: 'QR-5521' }, seller.token))
        .status,
    ).toBe(200)
    expect(await api.get(path, buyer.token)).toMatchObject({
      status: 200,
      body: { kind: 'code', value: 'QR-5521' },
    })
    expect((await api.get(path, seller.token)).status).toBe(404)
    expect((await api.get(path, (await signUp('stranger')).token)).status).toBe(404)
    expect((await api.get(`/api/tickets/${ticketId}`)).body.delivery).toBe('ready')
  })

  it('refunds the order in full when the seller misses the deadline, and orders shows it', async () => {
    const { buyer, orderId } = await paidOrder(48)
    await until(
      async () => (await api.get(`/api/orders/${orderId}/ticket`, buyer.token)).status === 409,
      'never paid here',
    )
    clock.advance(24 * HOUR + 1000)
    // The buyer's access token has long expired by then: sign in again.
    const again = await api.post('/api/users/signin', {
      email: buyer.email,
      password: 'correct horse battery',
    })
    buyer.token = again.body.token
    const refunded = await until(async () => {
      const order = (await api.get(`/api/orders/${orderId}`, buyer.token)).body
      return order.refundedAt ? order : undefined
    }, 'the order was never refunded')
    expect(refunded).toMatchObject({ status: 'complete', refundedAt: expect.any(String) })
    // The buyer hears why the ticket is gone; anyone else still gets the unknown order's 404.
    const gone = await api.get(`/api/orders/${orderId}/ticket`, buyer.token)
    expect(gone).toMatchObject({
      status: 410,
      body: { errors: [{ message: 'This order was refunded' }] },
    })
  })
})
