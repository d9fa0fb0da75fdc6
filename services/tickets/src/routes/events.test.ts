import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { events } from '../db/schema.ts'
import { jsonRequest, newEvent, setupTickets } from '../test-support.ts'
import type { Event } from '../views.ts'

const { app, auth, db, deps, clock } = await setupTickets()

async function post(body: unknown, headers?: Record<string, string>) {
  const res = await app.request('/api/events', jsonRequest('POST', body, headers))
  return { res, body: await res.json() }
}

async function get(url: string) {
  const res = await app.request(url)
  return { res, body: await res.json() }
}

const inDays = (days: number) => new Date(clock().getTime() + days * 24 * 60 * 60 * 1000)

describe('POST /api/events', () => {
  it('creates a scheduled event, trimmed', async () => {
    const { headers } = await auth.user()
    const name = `  Perfume ${crypto.randomUUID()}  `
    const startsAt = inDays(30)
    const { res, body } = await post(
      { name, venue: ' Nippon Budokan ', city: 'Tokyo', startsAt: startsAt.toISOString() },
      headers,
    )
    expect(res.status).toBe(201)
    expect(body).toEqual({
      id: expect.any(String),
      name: name.trim(),
      venue: 'Nippon Budokan',
      city: 'Tokyo',
      startsAt: startsAt.toISOString(),
      endsAt: null,
      status: 'scheduled',
      version: 0,
      createdAt: clock().toISOString(),
    })
  })

  it('answers 200 with the existing event for the same name, venue and start, however written', async () => {
    const { headers } = await auth.user()
    const tag = crypto.randomUUID().slice(0, 8)
    const first = await post(
      {
        name: `Perfume ${tag}`,
        venue: 'Nippon Budokan',
        city: 'Tokyo',
        startsAt: '2026-08-01T18:00:00+09:00',
      },
      headers,
    )
    expect(first.res.status).toBe(201)
    const other = await auth.user()
    // Full-width letters, other case, extra spaces; the same instant in UTC.
    const again = await post(
      {
        name: `ＰＥＲＦＵＭＥ   ${tag.toUpperCase()}`,
        venue: 'nippon  budokan',
        city: 'Chiyoda',
        startsAt: '2026-08-01T09:00:00Z',
      },
      other.headers,
    )
    expect(again.res.status).toBe(200)
    expect(again.body).toEqual(first.body)
    const stored = await db.select().from(events).where(eq(events.id, first.body.id))
    expect(stored).toHaveLength(1)
    const later = await post(
      {
        name: `Perfume ${tag}`,
        venue: 'Nippon Budokan',
        city: 'Tokyo',
        startsAt: '2026-08-02T18:00:00+09:00',
      },
      headers,
    )
    expect(later.res.status).toBe(201)
    expect(later.body.id).not.toBe(first.body.id)
  })

  it('requires a session (401) and creates nothing', async () => {
    const name = `No session ${crypto.randomUUID()}`
    const { res } = await post({ name, venue: 'v', city: 'c', startsAt: inDays(1).toISOString() })
    expect(res.status).toBe(401)
    expect(await db.select().from(events).where(eq(events.name, name))).toEqual([])
  })

  const bad: [string, Record<string, unknown>, { message: string; field: string }][] = [
    [
      'a start in the past',
      { startsAt: '2025-12-31T23:00:00Z' },
      {
        message: 'startsAt must be in the future',
        field: 'startsAt',
      },
    ],
    [
      'a start without an offset',
      { startsAt: '2026-08-01T18:00:00' },
      {
        message:
          'startsAt must be a date and time with an offset, such as 2026-08-01T18:00:00+09:00',
        field: 'startsAt',
      },
    ],
    [
      'Feb 31',
      { startsAt: '2026-02-31T18:00:00Z' },
      {
        message:
          'startsAt must be a date and time with an offset, such as 2026-08-01T18:00:00+09:00',
        field: 'startsAt',
      },
    ],
    [
      'a start years away',
      { startsAt: '2040-01-01T00:00:00Z' },
      {
        message: 'startsAt must be within 5 years',
        field: 'startsAt',
      },
    ],
    [
      'an end before the start',
      {
        startsAt: '2026-08-01T18:00:00+09:00',
        endsAt: '2026-08-01T17:00:00+09:00',
      },
      { message: 'endsAt must be after startsAt', field: 'endsAt' },
    ],
    ['no name', { name: '  ' }, { message: 'Name is required', field: 'name' }],
    [
      'a long venue',
      { venue: 'v'.repeat(121) },
      {
        message: 'Venue must be at most 120 characters',
        field: 'venue',
      },
    ],
    ['a city that is not text', { city: 7 }, { message: 'City must be a string', field: 'city' }],
  ]
  it.each(bad)('refuses %s with 400 and creates nothing', async (_, change, error) => {
    const { headers } = await auth.user()
    const name = `Refused ${crypto.randomUUID()}`
    const valid = { name, venue: 'Zepp', city: 'Osaka', startsAt: inDays(3).toISOString() }
    const { res, body } = await post({ ...valid, ...change }, headers)
    expect(res.status).toBe(400)
    expect(body.errors).toEqual([error])
    expect(await db.select().from(events).where(eq(events.name, name))).toEqual([])
  })
})

describe('GET /api/events/:id', () => {
  it('returns the event to anyone', async () => {
    const event = await newEvent(deps)
    const { res, body } = await get(`/api/events/${event.id}`)
    expect(res.status).toBe(200)
    expect(body).toEqual(event)
  })

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const unknown = await get(`/api/events/${crypto.randomUUID()}`)
    expect(unknown.res.status).toBe(404)
    expect(unknown.body).toEqual({ errors: [{ message: 'Event not found' }] })
    const malformed = await get('/api/events/nope')
    expect(malformed.res.status).toBe(400)
    expect(malformed.body.errors).toEqual([{ message: 'Event id must be a UUID', field: 'id' }])
  })
})

describe('GET /api/events (search)', () => {
  const ids = (body: Event[]) => body.map((e) => e.id)

  it('finds events by words of the name, venue or city, any case and width', async () => {
    const tag = crypto.randomUUID().slice(0, 8)
    const budokan = await newEvent(deps, { name: `Perfume ${tag}`, venue: '日本武道館' })
    const zepp = await newEvent(deps, {
      name: `Perfume ${tag}`,
      venue: 'Zepp Osaka',
      city: 'Osaka',
    })
    await newEvent(deps, { name: `Other ${tag}` })
    const both = await get(`/api/events?q=${encodeURIComponent(`PERFUME ${tag}`)}`)
    expect(both.res.status).toBe(200)
    expect(ids(both.body).sort()).toEqual([budokan.id, zepp.id].sort())
    const kanji = await get(`/api/events?q=${encodeURIComponent(`武道館 ${tag}`)}`)
    expect(ids(kanji.body)).toEqual([budokan.id])
    const fullWidth = await get(`/api/events?q=${encodeURIComponent(`ｚｅｐｐ ${tag}`)}`)
    expect(ids(fullWidth.body)).toEqual([zepp.id])
    const wildcard = await get(`/api/events?q=${encodeURIComponent(`% ${tag}`)}`)
    expect(ids(wildcard.body)).toEqual([])
  })

  it('filters by city and by a date range, soonest first, future only by default', async () => {
    const tag = crypto.randomUUID().slice(0, 8)
    const name = `Tour ${tag}`
    const jul = await newEvent(deps, {
      name,
      city: 'Nagoya',
      startsAt: new Date('2026-07-10T10:00:00Z'),
    })
    const aug1 = await newEvent(deps, {
      name,
      city: 'Nagoya',
      startsAt: new Date('2026-07-31T16:00:00Z'),
    })
    const aug = await newEvent(deps, {
      name,
      city: 'Nagoya',
      startsAt: new Date('2026-08-20T10:00:00Z'),
    })
    const osaka = await newEvent(deps, {
      name,
      city: 'Osaka',
      startsAt: new Date('2026-08-21T10:00:00Z'),
    })
    const all = await get(`/api/events?q=${tag}`)
    expect(ids(all.body)).toEqual([jul.id, aug1.id, aug.id, osaka.id])
    const nagoya = await get(`/api/events?q=${tag}&city=nagoya`)
    expect(ids(nagoya.body)).toEqual([jul.id, aug1.id, aug.id])
    // A bare date is that day in Japan: 2026-07-31T16:00Z is 1 August 01:00 in Tokyo.
    const august = await get(`/api/events?q=${tag}&from=2026-08-01&to=2026-08-20`)
    expect(ids(august.body)).toEqual([aug1.id, aug.id])
    const instants = await get(
      `/api/events?q=${tag}&from=${encodeURIComponent('2026-07-10T10:00:00Z')}&to=${encodeURIComponent('2026-08-20T10:00:00Z')}`,
    )
    expect(ids(instants.body)).toEqual([jul.id, aug1.id])
    clock.set(new Date('2026-08-01T00:00:00Z'))
    try {
      const upcoming = await get(`/api/events?q=${tag}`)
      expect(ids(upcoming.body)).toEqual([aug.id, osaka.id])
    } finally {
      clock.set(new Date('2026-01-01T00:00:00Z'))
    }
  })

  it('pages with a Link header that keeps the search', async () => {
    const tag = crypto.randomUUID().slice(0, 8)
    const made: Event[] = []
    for (let day = 1; day <= 5; day++) {
      made.push(await newEvent(deps, { name: `Paged ${tag}`, startsAt: inDays(day) }))
    }
    const seen: string[] = []
    let url: string | undefined = `/api/events?q=${tag}&limit=2`
    let pages = 0
    while (url) {
      const { res, body } = await get(url)
      expect(res.status).toBe(200)
      seen.push(...ids(body))
      pages++
      url = res.headers.get('Link')?.match(/^<([^>]+)>; rel="next"$/)?.[1]
      if (url) expect(url).toContain(`q=${tag}`)
    }
    expect(pages).toBe(3)
    expect(seen).toEqual(ids(made))
  })

  it.each([
    ['from=yesterday', 'from'],
    ['to=2026-02-30', 'to'],
    ['limit=0', 'limit'],
    [`q=${'x'.repeat(101)}`, 'q'],
    ['cursor=nope', 'cursor'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const { res, body } = await get(`/api/events?${query}`)
    expect(res.status).toBe(400)
    expect(body.errors.map((e: { field: string }) => e.field)).toEqual([field])
  })
})
