import { eventually } from '@twtix/common/testing'
import { expect } from 'vitest'
import type { ApiClient } from './client.ts'

export type StoryOptions = {
  /** Makes B's hold run out: moves an injected clock, or does nothing when the hold is short. */
  expireHold: () => Promise<void> | void
  /** How long to poll for events to propagate and holds to expire. */
  timeoutMs: number
}

async function signUp(api: ApiClient, name: string) {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`
  const res = await api.post('/api/users/signup', { email, password: 'correct horse battery' })
  expect(res.status).toBe(201)
  return { id: res.body.id as string, token: res.body.token as string }
}

/**
 * The whole marketplace story of DESIGN.md, through the public API only: A lists, B holds, C is
 * refused and A cannot edit, B's hold expires, C is declined then pays, the ticket is sold and
 * leaves the list, B's cancelled order cannot be paid.
 */
export async function marketplaceStory(api: ApiClient, options: StoryOptions) {
  const until = <T>(check: () => Promise<T>, message: string) =>
    eventually(check, { timeoutMs: options.timeoutMs, intervalMs: 50, message })
  const [a, b, c] = [
    await signUp(api, 'seller'),
    await signUp(api, 'buyer-b'),
    await signUp(api, 'buyer-c'),
  ]

  const listed = await api.post(
    '/api/tickets',
    { title: 'Tokyo Dome, row 3', price: 8000 },
    a.token,
  )
  expect(listed.status).toBe(201)
  const ticket = listed.body
  expect(ticket).toMatchObject({
    title: 'Tokyo Dome, row 3',
    price: 8000,
    currency: 'JPY',
    userId: a.id,
    status: 'available',
    version: 0,
  })

  // The orders service learns of the ticket through ticket.created.
  const bOrder = await until(async () => {
    const res = await api.post('/api/orders', { ticketId: ticket.id }, b.token)
    return res.status === 201 ? res.body : undefined
  }, 'B could not order the ticket')
  expect(bOrder).toMatchObject({
    userId: b.id,
    status: 'created',
    ticket: { id: ticket.id, price: 8000 },
  })

  const refused = await api.post('/api/orders', { ticketId: ticket.id }, c.token)
  expect(refused.status).toBe(400)
  expect(refused.body.errors[0].message).toBe('Ticket is already reserved')

  await until(
    async () => (await api.get(`/api/tickets/${ticket.id}`)).body.status === 'reserved',
    'ticket never reserved',
  )
  const edit = await api.put(`/api/tickets/${ticket.id}`, { price: 9000 }, a.token)
  expect(edit.status).toBe(400)
  const listedWhileReserved = await api.get('/api/tickets?limit=100')
  expect(listedWhileReserved.body.find((t: { id: string }) => t.id === ticket.id)?.status).toBe(
    'reserved',
  )

  await options.expireHold()
  await until(
    async () => (await api.get(`/api/orders/${bOrder.id}`, b.token)).body.status === 'cancelled',
    'B hold never expired',
  )
  await until(
    async () => (await api.get(`/api/tickets/${ticket.id}`)).body.status === 'available',
    'ticket never freed',
  )

  const cOrder = await api.post('/api/orders', { ticketId: ticket.id }, c.token)
  expect(cOrder.status).toBe(201)
  // payments learns of the order through order.created.
  const declined = await until(async () => {
    const res = await api.post(
      '/api/payments',
      { orderId: cOrder.body.id, token: 'tok_chargeDeclined' },
      c.token,
    )
    return res.status === 404 ? undefined : res
  }, 'payments never saw the order')
  expect(declined.status).toBe(402)
  expect(declined.body.errors[0].message).toMatch(/declined/i)
  const paid = await api.post(
    '/api/payments',
    { orderId: cOrder.body.id, token: 'tok_visa' },
    c.token,
  )
  expect(paid.status).toBe(201)
  expect(paid.body).toMatchObject({
    orderId: cOrder.body.id,
    status: 'succeeded',
    stripeId: expect.any(String),
  })

  await until(
    async () =>
      (await api.get(`/api/orders/${cOrder.body.id}`, c.token)).body.status === 'complete',
    'order never completed',
  )
  await until(
    async () => (await api.get(`/api/tickets/${ticket.id}`)).body.status === 'sold',
    'ticket never sold',
  )
  const list = await api.get('/api/tickets?limit=100')
  expect(list.body.map((t: { id: string }) => t.id)).not.toContain(ticket.id)
  const history = await api.get('/api/orders', c.token)
  expect(history.body.find((o: { id: string }) => o.id === cOrder.body.id)?.status).toBe('complete')

  const late = await api.post('/api/payments', { orderId: bOrder.id, token: 'tok_visa' }, b.token)
  expect(late.status).toBe(400)
  expect(late.body.errors[0].message).toBe('Cannot pay for a cancelled order')
  const notMine = await api.get(`/api/orders/${cOrder.body.id}`, b.token)
  expect(notMine.status).toBe(403)
  return { ticketId: ticket.id, orderId: cOrder.body.id }
}

/** N buyers race for one ticket: exactly one 201, every other answer a 400 "already reserved". */
export async function flashSale(api: ApiClient, buyers: number, timeoutMs: number) {
  const seller = await signUp(api, 'seller')
  const ticket = (
    await api.post('/api/tickets', { title: 'Flash sale', price: 5000 }, seller.token)
  ).body
  const people = await Promise.all(
    Array.from({ length: buyers }, (_, i) => signUp(api, `buyer${i}`)),
  )
  // The seller's own order is refused with 400 once orders knows the ticket (404 before).
  await eventually(
    async () =>
      (await api.post('/api/orders', { ticketId: ticket.id }, seller.token)).status === 400,
    { timeoutMs, message: 'orders never saw the ticket' },
  )
  const results = await Promise.all(
    people.map((p) => api.post('/api/orders', { ticketId: ticket.id }, p.token)),
  )
  const won = results.filter((r) => r.status === 201)
  const lost = results.filter((r) => r.status === 400)
  expect(won).toHaveLength(1)
  expect(lost).toHaveLength(buyers - 1)
  for (const r of lost) expect(r.body.errors[0].message).toBe('Ticket is already reserved')
}
