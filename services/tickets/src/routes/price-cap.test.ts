import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { tickets } from '../db/schema.ts'
import { jsonRequest, newEvent, outboxOf, setupTickets, ticketRow } from '../test-support.ts'

const { app, auth, db, deps, clock } = await setupTickets()

async function send(method: string, url: string, body: unknown, headers?: Record<string, string>) {
  const res = await app.request(url, jsonRequest(method, body, headers))
  return { res, body: await res.json() }
}

const capMessage = (max: string, cap: number, face: string) =>
  `Price must be at most ${max}: resale is capped at ${cap}× the face value of ${face}`

describe('the resale price cap (RESALE_PRICE_CAP 1.0)', () => {
  it('lists a ticket of an event at exactly its face value', async () => {
    const event = await newEvent(deps)
    const { headers } = await auth.user()
    const { res, body } = await send(
      'POST',
      '/api/tickets',
      {
        eventId: event.id,
        price: 8000,
        faceValue: 8000,
        section: ' Arena A ',
        row: '3',
        seat: '12',
      },
      headers,
    )
    expect(res.status).toBe(201)
    expect(body).toMatchObject({
      title: event.name,
      price: 8000,
      faceValue: 8000,
      eventId: event.id,
      section: 'Arena A',
      row: '3',
      seat: '12',
    })
    const [created] = await outboxOf(db, body.id)
    expect(created?.event.data).toMatchObject({
      eventId: event.id,
      faceValue: 8000,
      eventStartsAt: event.startsAt,
    })
  })

  it('refuses one yen above the face value, naming the cap and the highest price', async () => {
    const event = await newEvent(deps)
    const { headers } = await auth.user()
    const { res, body } = await send(
      'POST',
      '/api/tickets',
      { eventId: event.id, title: 'Over', price: 8001, faceValue: 8000 },
      headers,
    )
    expect(res.status).toBe(400)
    expect(body.errors).toEqual([{ message: capMessage('¥8,000', 1, '¥8,000'), field: 'price' }])
    expect(await db.select().from(tickets).where(eq(tickets.eventId, event.id))).toEqual([])
  })

  it('keeps the cap on edit', async () => {
    const event = await newEvent(deps)
    const { headers } = await auth.user()
    const listed = await send(
      'POST',
      '/api/tickets',
      { eventId: event.id, price: 7000, faceValue: 8000 },
      headers,
    )
    const url = `/api/tickets/${listed.body.id}`
    const over = await send('PUT', url, { price: 8001 }, headers)
    expect(over.res.status).toBe(400)
    expect(over.body.errors).toEqual([
      { message: capMessage('¥8,000', 1, '¥8,000'), field: 'price' },
    ])
    expect(await ticketRow(db, listed.body.id)).toMatchObject({ price: 7000, version: 0 })
    const atFace = await send('PUT', url, { price: 8000, faceValue: 99_999 }, headers)
    expect(atFace.res.status).toBe(200)
    expect(atFace.body).toMatchObject({ price: 8000, faceValue: 8000, version: 1 })
  })

  it('needs the face value for a ticket of an event', async () => {
    const event = await newEvent(deps)
    const { headers } = await auth.user()
    const { res, body } = await send(
      'POST',
      '/api/tickets',
      { eventId: event.id, price: 5000 },
      headers,
    )
    expect(res.status).toBe(400)
    expect(body.errors).toEqual([
      { message: 'faceValue is required for a ticket of an event', field: 'faceValue' },
    ])
  })

  it('keeps the original {title, price} listing working, and caps it when a face value is given', async () => {
    const { headers } = await auth.user()
    const legacy = await send(
      'POST',
      '/api/tickets',
      { title: 'Old client', price: 12_000 },
      headers,
    )
    expect(legacy.res.status).toBe(201)
    expect(legacy.body).toMatchObject({ eventId: null, faceValue: null, price: 12_000 })
    const capped = await send(
      'POST',
      '/api/tickets',
      { title: 'Face given', price: 5001, faceValue: 5000 },
      headers,
    )
    expect(capped.res.status).toBe(400)
    const untitled = await send('POST', '/api/tickets', { price: 5000 }, headers)
    expect(untitled.res.status).toBe(400)
    expect(untitled.body.errors).toEqual([{ message: 'title is required', field: 'title' }])
  })

  it('refuses an unknown event and one whose sales have ended', async () => {
    const { headers } = await auth.user()
    const unknown = await send(
      'POST',
      '/api/tickets',
      { eventId: crypto.randomUUID(), price: 5000, faceValue: 5000 },
      headers,
    )
    expect(unknown.res.status).toBe(400)
    expect(unknown.body.errors).toEqual([{ message: 'Event not found', field: 'eventId' }])
    const start = clock()
    const event = await newEvent(deps, { startsAt: new Date(start.getTime() + 1000) })
    clock.advance(1000)
    try {
      const late = await send(
        'POST',
        '/api/tickets',
        { eventId: event.id, price: 5000, faceValue: 5000 },
        headers,
      )
      expect(late.res.status).toBe(400)
      expect(late.body.errors).toEqual([
        { message: 'Sales for this event have ended', field: 'eventId' },
      ])
    } finally {
      clock.set(start)
    }
  })
})

describe('RESALE_PRICE_CAP 1.1', async () => {
  const other = await setupTickets({ RESALE_PRICE_CAP: 1.1, DELIVERY_DEADLINE_HOURS: 24 })
  it('allows up to 1.1× the face value, rounded down to the yen', async () => {
    const event = await newEvent(other.deps)
    const { headers } = await other.auth.user()
    const post = (price: number) =>
      other.app.request(
        '/api/tickets',
        jsonRequest('POST', { eventId: event.id, price, faceValue: 1005 }, headers),
      )
    expect((await post(1105)).status).toBe(201)
    const over = await post(1106)
    expect(over.status).toBe(400)
    expect((await over.json()).errors).toEqual([
      { message: capMessage('¥1,105', 1.1, '¥1,005'), field: 'price' },
    ])
  })
})
