import { inTransaction, manualClock, memoryLogger } from '@twtix/common'
import { createTestAuth, createTestDatabase, eventually } from '@twtix/common/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { reserveTicket } from '../commands/reserve-ticket.ts'
import type { Deps } from '../deps.ts'
import { migrationsFolder } from '../service.ts'
import { jsonRequest, listedTicket } from '../test-support.ts'
import type { Ticket } from '../views.ts'
import { listTickets } from './list-tickets.ts'
import { createListingCache } from './listing-cache.ts'

const database = await createTestDatabase({ service: 'tickets', migrationsFolder })
const clock = manualClock()
let now = 0
const listing = await createListingCache(database, { maxAgeMs: 5000, now: () => now })
afterAll(async () => {
  await listing.close()
  await database.close()
})
const deps: Deps = {
  db: database.db,
  clock,
  logger: memoryLogger(),
  config: { RESALE_PRICE_CAP: 1, DELIVERY_DEADLINE_HOURS: 24 },
  listing,
}

/** A load of the first page that counts how often the database is read. */
function counted() {
  const counter = { loads: 0, load: () => listTickets(deps, { limit: 20 }) }
  const load = counter.load
  counter.load = () => {
    counter.loads++
    return load()
  }
  return counter
}

const idsOf = (body: string) => (JSON.parse(body) as Ticket[]).map((t) => t.id)

describe('the listing cache', () => {
  it('reads the database once for any number of requests, at once or one after another', async () => {
    listing.invalidate()
    const c = counted()
    const pages = await Promise.all(Array.from({ length: 10 }, () => listing.page('k1', c.load)))
    await listing.page('k1', c.load)
    expect(c.loads).toBe(1)
    expect(new Set(pages.map((p) => p.body)).size).toBe(1)
  })

  it('drops its pages when a committed change is notified, from whichever replica', async () => {
    const c = counted()
    const before = await listing.page('k2', c.load)
    // Written straight to the database, as another replica would: no local invalidate().
    const ticket = await listedTicket({ ...deps, listing: undefined })
    const after = await eventually(async () => {
      const page = await listing.page('k2', c.load)
      return idsOf(page.body).includes(ticket.id) ? page : undefined
    })
    expect(idsOf(before.body)).not.toContain(ticket.id)
    expect(idsOf(after.body)[0]).toBe(ticket.id)
    expect(c.loads).toBeGreaterThanOrEqual(2)
  })

  it('does not keep a failed load', async () => {
    listing.invalidate()
    await expect(listing.page('k3', () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    )
    const c = counted()
    await listing.page('k3', c.load)
    expect(c.loads).toBe(1)
  })

  it('keeps a page no longer than its maximum age', async () => {
    listing.invalidate()
    const c = counted()
    await listing.page('k4', c.load)
    now += 4999
    await listing.page('k4', c.load)
    expect(c.loads).toBe(1)
    now += 1
    await listing.page('k4', c.load)
    expect(c.loads).toBe(2)
  })
})

describe('GET /api/tickets with the cache', async () => {
  const auth = await createTestAuth()
  const app = createApp({ ...deps, verifier: auth.verifier })
  const list = async () => {
    const res = await app.request('/api/tickets')
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    return (await res.json()) as Ticket[]
  }

  it("shows the caller's own new listing and edit at once (read your writes)", async () => {
    clock.advance(60_000)
    await list()
    const seller = await auth.user()
    const created = await app.request(
      '/api/tickets',
      jsonRequest('POST', { title: 'Budokan, arena', price: 12000 }, seller.headers),
    )
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as Ticket
    expect((await list())[0]?.id).toBe(id)
    const edited = await app.request(
      `/api/tickets/${id}`,
      jsonRequest('PUT', { price: 13000 }, seller.headers),
    )
    expect(edited.status).toBe(200)
    expect((await list())[0]?.price).toBe(13000)
  })

  it('shows a ticket reserved by an event once the change is notified', async () => {
    clock.advance(60_000)
    const ticket = await listedTicket({ ...deps, listing: undefined })
    await eventually(async () => (await list())[0]?.id === ticket.id)
    await inTransaction(deps, (tx) =>
      reserveTicket(deps, tx, {
        ticketId: ticket.id,
        orderId: crypto.randomUUID(),
        orderCreatedAt: clock(),
      }),
    )
    await eventually(async () => (await list())[0]?.status === 'reserved')
  })
})
