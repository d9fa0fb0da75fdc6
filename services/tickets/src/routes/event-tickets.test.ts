import { inTransaction } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { reserveTicket } from '../commands/reserve-ticket.ts'
import { sellTicket } from '../commands/sell-ticket.ts'
import { events } from '../db/schema.ts'
import { eventTicket, listedTicket, newEvent, setupTickets } from '../test-support.ts'
import type { Ticket } from '../views.ts'

const { app, db, deps, clock } = await setupTickets()

async function get(url: string) {
  const res = await app.request(url)
  return { res, body: await res.json() }
}

const ids = (body: Ticket[]) => body.map((t) => t.id)
const nextLink = (res: Response) => res.headers.get('Link')?.match(/^<([^>]+)>; rel="next"$/)?.[1]

describe('GET /api/events/:id/tickets', () => {
  it('lists unsold tickets cheapest first, paged by price then id', async () => {
    const event = await newEvent(deps)
    const dear = await eventTicket(deps, event.id, { price: 9000, faceValue: 9000, section: 'A' })
    const cheap = await eventTicket(deps, event.id, { price: 3000, section: 'B', row: '12' })
    const sameA = await eventTicket(deps, event.id, { price: 5000 })
    const sameB = await eventTicket(deps, event.id, { price: 5000 })
    const reserved = await eventTicket(deps, event.id, { price: 6000 })
    await inTransaction(deps, (tx) =>
      reserveTicket(deps, tx, {
        ticketId: reserved.id,
        orderId: crypto.randomUUID(),
        orderCreatedAt: clock(),
      }),
    )
    const sold = await eventTicket(deps, event.id, { price: 100 })
    await inTransaction(deps, (tx) =>
      sellTicket(deps, tx, { ticketId: sold.id, orderId: crypto.randomUUID() }),
    )
    await listedTicket(deps) // no event: never among an event's tickets
    const fives = [sameA.id, sameB.id].sort()
    const expected = [cheap.id, ...fives, reserved.id, dear.id]

    const seen: string[] = []
    let url: string | undefined = `/api/events/${event.id}/tickets?limit=2`
    let pages = 0
    while (url) {
      const { res, body } = await get(url)
      expect(res.status).toBe(200)
      seen.push(...ids(body))
      pages++
      url = nextLink(res)
    }
    expect(pages).toBe(3)
    expect(seen).toEqual(expected)
    const { body } = await get(`/api/events/${event.id}/tickets`)
    expect(body[0]).toMatchObject({
      id: cheap.id,
      eventId: event.id,
      faceValue: 8000,
      section: 'B',
      row: '12',
      seat: null,
      title: event.name,
    })
  })

  it('hides the tickets once the event starts, here and in /api/tickets', async () => {
    const start = clock()
    const event = await newEvent(deps, { startsAt: new Date(start.getTime() + 60_000) })
    const ticket = await eventTicket(deps, event.id)
    const legacy = await listedTicket(deps)
    const listed = async () => ids((await get('/api/tickets?limit=100')).body)
    expect(ids((await get(`/api/events/${event.id}/tickets`)).body)).toEqual([ticket.id])
    expect(await listed()).toEqual(expect.arrayContaining([ticket.id, legacy.id]))
    clock.advance(60_000) // the start itself: sales stop
    try {
      expect((await get(`/api/events/${event.id}/tickets`)).body).toEqual([])
      const after = await listed()
      expect(after).not.toContain(ticket.id)
      expect(after).toContain(legacy.id)
      // The ticket itself can still be looked at.
      expect((await get(`/api/tickets/${ticket.id}`)).res.status).toBe(200)
    } finally {
      clock.set(start)
    }
  })

  it('hides the tickets of a cancelled event', async () => {
    const event = await newEvent(deps)
    const ticket = await eventTicket(deps, event.id)
    await db.update(events).set({ status: 'cancelled' }).where(eq(events.id, event.id))
    expect((await get(`/api/events/${event.id}/tickets`)).body).toEqual([])
    expect(ids((await get('/api/tickets?limit=100')).body)).not.toContain(ticket.id)
  })

  it('answers 404 for an unknown event and 400 for a bad cursor', async () => {
    const unknown = await get(`/api/events/${crypto.randomUUID()}/tickets`)
    expect(unknown.res.status).toBe(404)
    expect(unknown.body).toEqual({ errors: [{ message: 'Event not found' }] })
    const event = await newEvent(deps)
    const bad = await get(`/api/events/${event.id}/tickets?cursor=${btoa('[1,"x"]')}`)
    expect(bad.res.status).toBe(400)
    expect(bad.body.errors).toEqual([{ message: 'Cursor is invalid', field: 'cursor' }])
  })
})
