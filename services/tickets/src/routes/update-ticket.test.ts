import { inTransaction } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { reserveTicket } from '../commands/reserve-ticket.ts'
import { sellTicket } from '../commands/sell-ticket.ts'
import {
  eventTicket,
  jsonRequest,
  listedTicket,
  newEvent,
  outboxOf,
  setupTickets,
  ticketRow,
} from '../test-support.ts'
import { ticketEventData } from '../views.ts'

const { app, auth, db, deps, clock } = await setupTickets()

async function put(id: string, body: unknown, headers?: Record<string, string>) {
  const res = await app.request(`/api/tickets/${id}`, jsonRequest('PUT', body, headers))
  return { res, body: await res.json() }
}

async function ownTicket() {
  const seller = await auth.user()
  const ticket = await listedTicket(deps, seller.user.id)
  return { ticket, headers: seller.headers }
}

describe('PUT /api/tickets/:id', () => {
  it('lets the owner edit title and price: version+1 and ticket.updated', async () => {
    const { ticket, headers } = await ownTicket()
    const { res, body } = await put(ticket.id, { title: '  Front row  ', price: 8000 }, headers)
    expect(res.status).toBe(200)
    expect(body).toEqual({ ...ticket, title: 'Front row', price: 8000, version: 1 })
    expect(await ticketRow(db, ticket.id)).toMatchObject({ title: 'Front row', version: 1 })
    const rows = await outboxOf(db, ticket.id)
    expect(rows.map((r) => r.type)).toEqual(['ticket.created', 'ticket.updated'])
    expect(rows[1]).toMatchObject({ topic: 'tickets', key: ticket.id })
    expect(rows[1]?.event.data).toMatchObject({ title: 'Front row', price: 8000, version: 1 })
  })

  it('changes only the field given', async () => {
    const { ticket, headers } = await ownTicket()
    clock.advance(1000)
    const first = await put(ticket.id, { price: 999 }, headers)
    expect(first.body).toMatchObject({ title: ticket.title, price: 999, version: 1 })
    const second = await put(ticket.id, { title: 'Renamed' }, headers)
    expect(second.body).toMatchObject({ title: 'Renamed', price: 999, version: 2 })
    expect(second.body.createdAt).toBe(ticket.createdAt)
    const versions = (await outboxOf(db, ticket.id)).map((r) => r.event.data.version)
    expect(versions).toEqual([0, 1, 2])
  })

  it("tells every change as the row is stored, with its event's dates", async () => {
    const event = await newEvent(deps)
    const seller = await auth.user()
    const ticket = await eventTicket(deps, event.id, { userId: seller.user.id })
    const { headers } = seller
    const dates = {
      startsAt: new Date(event.startsAt),
      endsAt: event.endsAt === null ? null : new Date(event.endsAt),
    }
    const told = async () => (await outboxOf(db, ticket.id)).at(-1)?.event.data
    const stored = async () => {
      const row = await ticketRow(db, ticket.id)
      return row && ticketEventData(row, dates)
    }
    clock.advance(1000)
    expect((await put(ticket.id, { title: 'Arena, block C' }, headers)).res.status).toBe(200)
    expect(await told()).toEqual(await stored())
    const order = crypto.randomUUID()
    await inTransaction(deps, (tx) =>
      reserveTicket(deps, tx, { ticketId: ticket.id, orderId: order, orderCreatedAt: clock() }),
    )
    expect(await told()).toEqual(await stored())
    await inTransaction(deps, (tx) => sellTicket(deps, tx, { ticketId: ticket.id, orderId: order }))
    expect(await told()).toMatchObject({ status: 'sold', version: 3 })
    expect(await told()).toEqual(await stored())
  })

  it('requires a signed-in user (401)', async () => {
    const { ticket } = await ownTicket()
    const { res } = await put(ticket.id, { price: 700 })
    expect(res.status).toBe(401)
    expect((await ticketRow(db, ticket.id))?.price).toBe(ticket.price)
  })

  it("refuses someone else's ticket (403)", async () => {
    const { ticket } = await ownTicket()
    const other = await auth.user()
    const { res, body } = await put(ticket.id, { price: 700 }, other.headers)
    expect(res.status).toBe(403)
    expect(body).toEqual({ errors: [{ message: 'You do not own this ticket' }] })
    expect((await ticketRow(db, ticket.id))?.version).toBe(0)
  })

  it('answers 404 for an unknown ticket and 400 for a malformed id', async () => {
    const { headers } = await auth.user()
    const unknown = await put(crypto.randomUUID(), { price: 700 }, headers)
    expect(unknown.res.status).toBe(404)
    const malformed = await put('nope', { price: 700 }, headers)
    expect(malformed.res.status).toBe(400)
    expect(malformed.body.errors).toEqual([{ message: 'Ticket id must be a UUID', field: 'id' }])
  })

  it('refuses to edit a reserved ticket', async () => {
    const { ticket, headers } = await ownTicket()
    const orderId = crypto.randomUUID()
    await inTransaction(deps, (tx) =>
      reserveTicket(deps, tx, { ticketId: ticket.id, orderId, orderCreatedAt: clock() }),
    )
    const { res, body } = await put(ticket.id, { price: 700 }, headers)
    expect(res.status).toBe(400)
    expect(body).toEqual({ errors: [{ message: 'Cannot edit a reserved ticket' }] })
    expect(await ticketRow(db, ticket.id)).toMatchObject({ price: ticket.price, version: 1 })
    expect(await outboxOf(db, ticket.id)).toHaveLength(2)
  })

  it('refuses to edit a sold ticket', async () => {
    const { ticket, headers } = await ownTicket()
    await inTransaction(deps, (tx) =>
      sellTicket(deps, tx, { ticketId: ticket.id, orderId: crypto.randomUUID() }),
    )
    const { res, body } = await put(ticket.id, { title: 'Too late' }, headers)
    expect(res.status).toBe(400)
    expect(body).toEqual({ errors: [{ message: 'Cannot edit a sold ticket' }] })
    expect((await ticketRow(db, ticket.id))?.title).toBe(ticket.title)
  })

  it('needs at least one field', async () => {
    const { ticket, headers } = await ownTicket()
    const { res, body } = await put(ticket.id, { colour: 'red' }, headers)
    expect(res.status).toBe(400)
    expect(body).toEqual({ errors: [{ message: 'Provide a title or a price to change' }] })
  })

  it('validates each field given', async () => {
    const { ticket, headers } = await ownTicket()
    const { res, body } = await put(ticket.id, { title: ' ', price: 12.5 }, headers)
    expect(res.status).toBe(400)
    expect(body.errors).toEqual([
      { message: 'Title is required', field: 'title' },
      { message: 'Price must be a whole number of yen from 50 to 9,999,999', field: 'price' },
    ])
    const tooCheap = await put(ticket.id, { price: 49 }, headers)
    expect(tooCheap.body.errors).toEqual([
      { message: 'Price must be a whole number of yen from 50 to 9,999,999', field: 'price' },
    ])
    const stringPrice = await put(ticket.id, { price: '700' }, headers)
    expect(stringPrice.res.status).toBe(400)
    expect((await ticketRow(db, ticket.id))?.version).toBe(0)
  })
})
