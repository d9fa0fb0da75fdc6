import { describe, expect, it } from 'vitest'
import { eventTicket, jsonRequest, newEvent, outboxOf, setupTickets } from '../test-support.ts'

const { app, auth, db, deps, clock } = await setupTickets()

const HOUR = 60 * 60 * 1000
const later = (ms: number) => new Date(clock().getTime() + ms)

async function post(url: string, headers: Record<string, string>, body: unknown = {}) {
  const res = await app.request(url, jsonRequest('POST', body, headers))
  return { res, body: await res.json() }
}

describe('POST /api/events/:id/cancel', () => {
  it('cancels the event once (version+1, event.updated) and hides its listings', async () => {
    const { headers } = await auth.admin()
    const event = await newEvent(deps)
    const ticket = await eventTicket(deps, event.id)
    const before = await app.request(`/api/events/${event.id}/tickets`)
    expect((await before.json()).map((t: { id: string }) => t.id)).toEqual([ticket.id])

    const { res, body } = await post(`/api/events/${event.id}/cancel`, headers)
    expect(res.status).toBe(200)
    expect(body).toMatchObject({ id: event.id, status: 'cancelled', version: 1 })
    const rows = await outboxOf(db, event.id)
    expect(rows.map((r) => r.event.type)).toEqual(['event.created', 'event.updated'])
    expect(rows[1]?.event.data).toEqual({
      id: event.id,
      name: event.name,
      venue: event.venue,
      city: event.city,
      status: 'cancelled',
      startsAt: event.startsAt,
      endsAt: null,
      version: 1,
    })
    const after = await app.request(`/api/events/${event.id}/tickets`)
    expect(await after.json()).toEqual([])

    const again = await post(`/api/events/${event.id}/cancel`, headers)
    expect(again.res.status).toBe(409)
    expect(again.body).toEqual({ errors: [{ message: 'Event is already cancelled' }] })
    expect(await outboxOf(db, event.id)).toHaveLength(2)
  })

  it('is for admins only: 401 signed out, 403 to a user, and nothing changes', async () => {
    const event = await newEvent(deps)
    const signedOut = await post(`/api/events/${event.id}/cancel`, {})
    expect(signedOut.res.status).toBe(401)
    const { headers } = await auth.user()
    const user = await post(`/api/events/${event.id}/cancel`, headers)
    expect(user.res.status).toBe(403)
    expect(user.body).toEqual({ errors: [{ message: 'Admins only' }] })
    expect((await outboxOf(db, event.id)).map((r) => r.event.type)).toEqual(['event.created'])
  })

  it('answers 404 for an unknown event and 400 for a malformed id', async () => {
    const { headers } = await auth.admin()
    expect((await post(`/api/events/${crypto.randomUUID()}/cancel`, headers)).res.status).toBe(404)
    const bad = await post('/api/events/nope/cancel', headers)
    expect(bad.res.status).toBe(400)
    expect(bad.body.errors[0].field).toBe('id')
  })
})

describe('POST /api/events/:id/postpone', () => {
  it('moves the event, keeps its length when no end is given, and publishes the new times', async () => {
    const { headers } = await auth.admin()
    const event = await newEvent(deps, { endsAt: later(27 * HOUR) })
    const startsAt = later(7 * 24 * HOUR)
    const { res, body } = await post(`/api/events/${event.id}/postpone`, headers, {
      startsAt: startsAt.toISOString(),
    })
    expect(res.status).toBe(200)
    expect(body).toMatchObject({
      status: 'postponed',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3 * HOUR).toISOString(),
      version: 1,
    })
    const rows = await outboxOf(db, event.id)
    expect(rows[1]?.event).toMatchObject({
      type: 'event.updated',
      data: { status: 'postponed', startsAt: startsAt.toISOString(), version: 1 },
    })
    // Its listings stay on sale, and a new listing's event carries the new times.
    const ticket = await eventTicket(deps, event.id)
    const ticketEvents = await outboxOf(db, ticket.id)
    expect(ticketEvents[0]?.event.data).toMatchObject({
      eventStartsAt: startsAt.toISOString(),
      eventEndsAt: new Date(startsAt.getTime() + 3 * HOUR).toISOString(),
    })
  })

  it.each([
    [{ startsAt: 'soon' }, 'startsAt'],
    [{}, 'startsAt'],
    [{ startsAt: new Date(Date.now() - HOUR).toISOString() }, 'startsAt'],
    [
      {
        startsAt: new Date(Date.now() + 48 * HOUR).toISOString(),
        endsAt: new Date(Date.now() + 47 * HOUR).toISOString(),
      },
      'endsAt',
    ],
  ])('refuses %j with 400 on %s, and nothing changes', async (input, field) => {
    clock.set(new Date())
    const { headers } = await auth.admin()
    const event = await newEvent(deps)
    const { res, body } = await post(`/api/events/${event.id}/postpone`, headers, input)
    expect(res.status).toBe(400)
    expect(body.errors[0].field).toBe(field)
    expect(await outboxOf(db, event.id)).toHaveLength(1)
  })

  it('refuses a cancelled event, a finished one, and non-admins', async () => {
    const { headers } = await auth.admin()
    const startsAt = later(10 * 24 * HOUR).toISOString()
    const cancelled = await newEvent(deps)
    await post(`/api/events/${cancelled.id}/cancel`, headers)
    const res = await post(`/api/events/${cancelled.id}/postpone`, headers, { startsAt })
    expect(res.res.status).toBe(409)
    expect(res.body).toEqual({ errors: [{ message: 'A cancelled event cannot be postponed' }] })

    const past = await newEvent(deps)
    clock.advance(2 * 24 * HOUR)
    const finished = await post(`/api/events/${past.id}/postpone`, headers, {
      startsAt: later(10 * 24 * HOUR).toISOString(),
    })
    expect(finished.res.status).toBe(409)
    const shown = await app.request(`/api/events/${past.id}`)
    expect((await shown.json()).status).toBe('finished')

    const open = await newEvent(deps)
    const user = await auth.user()
    const refused = await post(`/api/events/${open.id}/postpone`, user.headers, { startsAt })
    expect(refused.res.status).toBe(403)
    expect(await outboxOf(db, open.id)).toHaveLength(1)
  })
})
