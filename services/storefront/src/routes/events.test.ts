import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestShop, type TestShop, textOf, visitor } from '../test-support.ts'
import { japanTime } from './events.tsx'

let shop: TestShop
beforeAll(async () => {
  shop = await createTestShop()
})
afterAll(async () => {
  await shop?.stop()
})

/** A datetime-local value `days` from the shop's clock, at 18:00 in Japan. */
function inDays(days: number) {
  const at = new Date(shop.clock().getTime() + days * 24 * 60 * 60 * 1000)
  return `${at.toISOString().slice(0, 10)}T18:00`
}

async function seller() {
  const person = visitor(shop)
  await person.signUp('seller')
  return person
}

describe('events in the storefront', () => {
  it('adds an event, then sells a ticket of it with its face value, shown on the event page', async () => {
    const person = await seller()
    const name = `Perfume ${crypto.randomUUID().slice(0, 8)}`
    const startsAt = inDays(20)
    const added = await person.post('/events', {
      name,
      venue: 'Nippon Budokan',
      city: 'Tokyo',
      startsAt,
      endsAt: '',
    })
    const eventId = added.path.match(/^\/sell\?eventId=([\w-]+)&notice=event$/)?.[1]
    expect(eventId, textOf(added.html).slice(0, 300)).toBeDefined()
    expect(textOf(added.html)).toContain('The event is ready')
    expect(added.html).toMatch(new RegExp(`<option value="${eventId}" selected`))
    expect(textOf(added.html)).toContain('Resale is capped')

    const over = await person.post('/sell', {
      eventId: eventId as string,
      title: '',
      faceValue: '8,000',
      price: '8001',
      section: 'Arena A',
      row: '3',
      seat: '',
    })
    expect(over.status).toBe(400)
    expect(textOf(over.html)).toContain(
      'Price must be at most ¥8,000: resale is capped at 1× the face value of ¥8,000',
    )
    const listed = await person.post('/sell', {
      eventId: eventId as string,
      title: '',
      faceValue: '8000',
      price: '8000',
      section: 'Arena A',
      row: '3',
      seat: '',
    })
    expect(listed.path).toMatch(/^\/tickets\/[\w-]+\?notice=listed$/)
    expect(textOf(listed.html)).toContain(name)

    const cheaper = await seller()
    await cheaper.post('/sell', {
      eventId: eventId as string,
      faceValue: '8000',
      price: '6500',
      section: 'Stand B',
      row: '20',
      seat: '7',
    })
    const page = await visitor(shop).get(`/events/${eventId}`)
    expect(page.status).toBe(200)
    const text = textOf(page.html)
    expect(text).toContain(`${name} Nippon Budokan, Tokyo`)
    expect(text.indexOf('¥6,500 Stand B 20 7')).toBeGreaterThan(-1)
    expect(text.indexOf('¥6,500')).toBeLessThan(text.indexOf('¥8,000 Arena A 3'))

    const again = await person.post('/events', {
      name: name.toUpperCase(),
      venue: 'nippon budokan',
      city: 'Tokyo',
      startsAt,
      endsAt: '',
    })
    expect(again.path).toBe(`/sell?eventId=${eventId}&notice=event`)
  })

  it('finds events by words and city, and shows the API message for a bad date', async () => {
    const person = await seller()
    const tag = crypto.randomUUID().slice(0, 8)
    await person.post('/events', {
      name: `Tour ${tag}`,
      venue: 'Zepp Nagoya',
      city: 'Nagoya',
      startsAt: inDays(10),
      endsAt: '',
    })
    const found = await visitor(shop).get(`/events?q=${tag}&city=nagoya`)
    expect(found.status).toBe(200)
    expect(textOf(found.html)).toContain(`Tour ${tag} Zepp Nagoya, Nagoya`)
    const none = await visitor(shop).get(`/events?q=${tag}&city=osaka`)
    expect(textOf(none.html)).toContain('No events found')
    const bad = await visitor(shop).get('/events?from=someday')
    expect(bad.status).toBe(400)
    expect(textOf(bad.html)).toContain('from must be a date')
  })

  it('keeps what was typed and shows the messages beside the fields', async () => {
    const person = await seller()
    const page = await person.post('/events', {
      name: ' ',
      venue: 'Zepp',
      city: 'Osaka',
      startsAt: '2001-01-01T10:00',
      endsAt: '',
    })
    expect(page.status).toBe(400)
    expect(page.html).toContain('id="field-name-error">Name is required</p>')
    expect(page.html).toContain('value="Zepp"')
  })

  it('still lists a ticket with a title and a price only', async () => {
    const person = await seller()
    const page = await person.post('/sell', { title: 'Old style', price: '3000' })
    expect(page.path).toMatch(/^\/tickets\/[\w-]+\?notice=listed$/)
  })

  it('answers an unknown or malformed event id with a not-found page', async () => {
    expect((await visitor(shop).get(`/events/${crypto.randomUUID()}`)).status).toBe(404)
    expect((await visitor(shop).get('/events/nope')).status).toBe(404)
  })

  it('reads a datetime-local value as Japan time', () => {
    expect(japanTime('2027-08-01T18:00')).toBe('2027-08-01T18:00:00+09:00')
    expect(japanTime('2027-08-01T18:00:30')).toBe('2027-08-01T18:00:30+09:00')
    expect(japanTime('  ')).toBeUndefined()
    expect(japanTime('soon')).toBe('soon')
  })
})
