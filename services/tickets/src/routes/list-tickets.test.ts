import { inTransaction } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { reserveTicket } from '../commands/reserve-ticket.ts'
import { sellTicket } from '../commands/sell-ticket.ts'
import { encodeCursor } from '../queries/cursor.ts'
import { listedTicket, setupTickets } from '../test-support.ts'
import type { Ticket } from '../views.ts'

const { app, deps, clock } = await setupTickets()

/** Each test lists its tickets later than every earlier test's, so they lead the listing. */
function moveClockAhead() {
  clock.advance(24 * 60 * 60 * 1000)
}

async function get(url: string) {
  const res = await app.request(url)
  return { res, body: await res.json() }
}

function nextLink(res: Response): string | undefined {
  const link = res.headers.get('Link')
  return link?.match(/^<([^>]+)>; rel="next"$/)?.[1]
}

describe('GET /api/tickets', () => {
  it('lists unsold tickets newest first, reserved ones included, sold ones not', async () => {
    moveClockAhead()
    const available = await listedTicket(deps)
    clock.advance(1000)
    const reserved = await listedTicket(deps)
    await inTransaction(deps, (tx) =>
      reserveTicket(deps, tx, {
        ticketId: reserved.id,
        orderId: crypto.randomUUID(),
        orderCreatedAt: clock(),
      }),
    )
    clock.advance(1000)
    const sold = await listedTicket(deps)
    await inTransaction(deps, (tx) =>
      sellTicket(deps, tx, { ticketId: sold.id, orderId: crypto.randomUUID() }),
    )

    const { res, body } = await get('/api/tickets')
    expect(res.status).toBe(200)
    const ids = (body as Ticket[]).map((t) => t.id)
    expect(ids.slice(0, 2)).toEqual([reserved.id, available.id])
    expect(ids).not.toContain(sold.id)
    expect(body[0]).toMatchObject({ status: 'reserved', version: 1, currency: 'JPY' })
  })

  it('pages with a Link header, stable across tickets with the same createdAt', async () => {
    moveClockAhead()
    const mine: Ticket[] = []
    for (let i = 0; i < 5; i++) mine.push(await listedTicket(deps))
    // Same createdAt for all five: the id breaks the tie, descending.
    const expected = mine
      .map((t) => t.id)
      .sort()
      .reverse()

    const seen: string[] = []
    const pages: string[][] = []
    let url: string | undefined = '/api/tickets?limit=2'
    while (url) {
      const { res, body } = await get(url)
      expect(res.status).toBe(200)
      expect(body.length).toBeLessThanOrEqual(2)
      const ids = (body as Ticket[]).map((t) => t.id)
      pages.push(ids)
      seen.push(...ids)
      url = nextLink(res)
      if (url) expect(url).toMatch(/^\/api\/tickets\?limit=2&cursor=[\w-]+$/)
    }
    expect(pages.length).toBeGreaterThanOrEqual(3)
    expect(pages[0]).toEqual(expected.slice(0, 2))
    expect(pages[1]).toEqual(expected.slice(2, 4))
    expect(pages[2]?.[0]).toBe(expected[4])
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.filter((id) => expected.includes(id))).toEqual(expected)
  })

  it('sends no Link on the last page', async () => {
    // Older than anything else in this file, so these two end the listing.
    const now = clock()
    clock.set(new Date('2000-01-01T00:00:00Z'))
    const oldest = await listedTicket(deps)
    clock.advance(1000)
    const secondOldest = await listedTicket(deps)
    clock.set(now)
    const cursor = encodeCursor({
      createdAt: new Date(secondOldest.createdAt),
      id: secondOldest.id,
    })
    const { res, body } = await get(`/api/tickets?limit=1&cursor=${cursor}`)
    expect(res.status).toBe(200)
    expect(body.map((t: Ticket) => t.id)).toEqual([oldest.id])
    expect(res.headers.get('Link')).toBeNull()
  })

  it('continues after a cursor built from a ticket position', async () => {
    moveClockAhead()
    const older = await listedTicket(deps)
    clock.advance(1)
    const newer = await listedTicket(deps)
    const cursor = encodeCursor({ createdAt: new Date(newer.createdAt), id: newer.id })
    const { res, body } = await get(`/api/tickets?limit=1&cursor=${cursor}`)
    expect(res.status).toBe(200)
    expect(body.map((t: Ticket) => t.id)).toEqual([older.id])
  })

  it('defaults to 20 a page', async () => {
    moveClockAhead()
    for (let i = 0; i < 21; i++) await listedTicket(deps)
    const { res, body } = await get('/api/tickets')
    expect(body).toHaveLength(20)
    expect(nextLink(res)).toMatch(/^\/api\/tickets\?limit=20&cursor=/)
  })

  it.each(['0', '101', 'ten', '-1', '2.5', ''])('rejects limit=%j', async (limit) => {
    const { res, body } = await get(`/api/tickets?limit=${limit}`)
    expect(res.status).toBe(400)
    expect(body.errors).toEqual([
      { message: 'Limit must be a whole number from 1 to 100', field: 'limit' },
    ])
  })

  const notCursors = [
    'garbage!',
    btoa('not json'),
    btoa(JSON.stringify(['yesterday', crypto.randomUUID()])),
    btoa(JSON.stringify([new Date().toISOString(), 'not-a-uuid'])),
    btoa(JSON.stringify({ createdAt: new Date().toISOString() })),
  ]
  it.each(notCursors)('rejects the malformed cursor %j with 400', async (cursor) => {
    const { res, body } = await get(`/api/tickets?cursor=${encodeURIComponent(cursor)}`)
    expect(res.status).toBe(400)
    expect(body.errors).toEqual([{ message: 'Cursor is invalid', field: 'cursor' }])
  })
})
