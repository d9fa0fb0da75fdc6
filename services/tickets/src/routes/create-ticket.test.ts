import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { tickets } from '../db/schema.ts'
import { jsonRequest, outboxOf, setupTickets, ticketRow } from '../test-support.ts'

const { app, auth, db, clock } = await setupTickets()

async function post(body: unknown, headers?: Record<string, string>) {
  const res = await app.request('/api/tickets', jsonRequest('POST', body, headers))
  return { res, body: await res.json() }
}

describe('POST /api/tickets', () => {
  it('lists a ticket, trimmed, and writes ticket.created to the outbox', async () => {
    const { user, headers } = await auth.user()
    const { res, body } = await post({ title: '  Summer Sonic day 1  ', price: 12000 }, headers)
    expect(res.status).toBe(201)
    expect(body).toEqual({
      id: expect.any(String),
      title: 'Summer Sonic day 1',
      price: 12000,
      currency: 'JPY',
      userId: user.id,
      status: 'available',
      orderId: null,
      version: 0,
      createdAt: clock().toISOString(),
      eventId: null,
      faceValue: null,
      section: null,
      row: null,
      seat: null,
      delivery: 'pending',
    })
    expect(await ticketRow(db, body.id)).toMatchObject({ title: 'Summer Sonic day 1', version: 0 })
    const [row, ...more] = await outboxOf(db, body.id)
    expect(more).toHaveLength(0)
    expect(row).toMatchObject({ type: 'ticket.created', topic: 'tickets', key: body.id })
    expect(row?.event).toMatchObject({ type: 'ticket.created', source: 'tickets' })
    expect(row?.event.data).toEqual({
      id: body.id,
      title: 'Summer Sonic day 1',
      price: 12000,
      userId: user.id,
      status: 'available',
      orderId: null,
      version: 0,
      eventId: null,
      faceValue: null,
      eventStartsAt: null,
      eventEndsAt: null,
    })
  })

  it('accepts the price bounds and ignores unknown fields', async () => {
    const { headers } = await auth.user()
    const low = await post({ title: 'Cheap', price: 50, status: 'sold', version: 9 }, headers)
    expect(low.res.status).toBe(201)
    expect(low.body).toMatchObject({ price: 50, status: 'available', version: 0 })
    const high = await post({ title: 'Dear', price: 9_999_999 }, headers)
    expect(high.res.status).toBe(201)
    expect(high.body.price).toBe(9_999_999)
  })

  it('counts a 120-character title in characters, emoji included', async () => {
    const { headers } = await auth.user()
    const ok = await post({ title: '🎫'.repeat(120), price: 500 }, headers)
    expect(ok.res.status).toBe(201)
    const tooLong = await post({ title: 'a'.repeat(121), price: 500 }, headers)
    expect(tooLong.res.status).toBe(400)
    expect(tooLong.body.errors).toEqual([
      { message: 'Title must be at most 120 characters', field: 'title' },
    ])
  })

  it('rejects a request without a session with 401 and writes nothing', async () => {
    const title = `No session ${crypto.randomUUID()}`
    const { res, body } = await post({ title, price: 1000 })
    expect(res.status).toBe(401)
    expect(body).toEqual({ errors: [{ message: 'Not authorized' }] })
    expect(await db.select().from(tickets).where(eq(tickets.title, title))).toEqual([])
  })

  const badTitles: [unknown, string][] = [
    [undefined, 'title is required'],
    ['   ', 'Title is required'],
    [42, 'Title must be a string'],
    [null, 'Title must be a string'],
  ]
  it.each(badTitles)('rejects title %j', async (title, message) => {
    const { headers } = await auth.user()
    const { res, body } = await post({ title, price: 1000 }, headers)
    expect(res.status).toBe(400)
    expect(body.errors).toEqual([{ message, field: 'title' }])
  })

  const range = 'Price must be a whole number of yen from 50 to 9,999,999'
  const badPrices: [unknown, string][] = [
    [undefined, 'price is required'],
    ['1000', range],
    [10.5, range],
    [-100, range],
    [0, range],
    [49, range],
    [10_000_000, range],
    [null, range],
    ['NaN', range],
    [{ amount: 100 }, range],
  ]
  it.each(badPrices)('rejects price %j', async (price, message) => {
    const { headers } = await auth.user()
    const { res, body } = await post({ title: 'x', price }, headers)
    expect(res.status).toBe(400)
    expect(body.errors).toEqual([{ message, field: 'price' }])
  })

  it('rejects a price that overflows to Infinity', async () => {
    const { headers } = await auth.user()
    const res = await app.request('/api/tickets', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: '{"title":"x","price":1e400}',
    })
    expect(res.status).toBe(400)
    expect((await res.json()).errors).toEqual([{ message: range, field: 'price' }])
  })

  it('reports one error per bad field', async () => {
    const { headers } = await auth.user()
    const { res, body } = await post({ title: '', price: 'free' }, headers)
    expect(res.status).toBe(400)
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['price', 'title'])
  })

  it('rejects a body that is not JSON', async () => {
    const { headers } = await auth.user()
    const res = await app.request('/api/tickets', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'text/plain' },
      body: 'title=x&price=100',
    })
    expect(res.status).toBe(400)
    expect((await res.json()).errors[0].message).toBe('Content-Type must be application/json')
  })
})
