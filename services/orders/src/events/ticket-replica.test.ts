import { RetryLaterError } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { handle, json, setupOrders, type TicketData, ticketRow } from '../test-support.ts'
import { onTicketCreated } from './on-ticket-created.ts'
import { onTicketUpdated } from './on-ticket-updated.ts'

const ctx = await setupOrders()

function ticketData(overrides: Partial<TicketData> = {}): TicketData {
  return {
    id: crypto.randomUUID(),
    title: 'Budokan, arena seat',
    price: 9800,
    userId: crypto.randomUUID(),
    status: 'available',
    orderId: null,
    version: 0,
    ...overrides,
  }
}

const created = (data: TicketData) =>
  handle(ctx.db, onTicketCreated(ctx.deps), 'ticket.created', data)
const updated = (data: TicketData) =>
  handle(ctx.db, onTicketUpdated(ctx.deps), 'ticket.updated', data)

describe('ticket.created', () => {
  it('adds the ticket to the replica', async () => {
    const data = ticketData()
    await created(data)
    expect(await ticketRow(ctx.db, data.id)).toEqual({
      ...data,
      eventStartsAt: null,
      eventId: null,
      eventEndsAt: null,
    })
  })

  it('ignores a second copy of the event', async () => {
    const data = ticketData()
    await created(data)
    await updated({ ...data, title: 'renamed', version: 1 })
    await created(data)
    expect(await ticketRow(ctx.db, data.id)).toMatchObject({ title: 'renamed', version: 1 })
  })
})

describe('ticket.updated', () => {
  it('applies the version exactly one ahead', async () => {
    const data = ticketData()
    await created(data)
    const orderId = crypto.randomUUID()
    await updated({ ...data, status: 'reserved', orderId, version: 1 })
    expect(await ticketRow(ctx.db, data.id)).toMatchObject({
      status: 'reserved',
      orderId,
      version: 1,
    })
    await updated({ ...data, title: 'Budokan, balcony', price: 7000, version: 2 })
    expect(await ticketRow(ctx.db, data.id)).toMatchObject({
      title: 'Budokan, balcony',
      price: 7000,
      status: 'available',
      orderId: null,
      version: 2,
    })
  })

  it('skips an equal or older version as a duplicate', async () => {
    const data = ticketData()
    await created(data)
    await updated({ ...data, title: 'v1', version: 1 })
    await updated({ ...data, title: 'stale v1', version: 1 })
    await updated({ ...data, title: 'stale v0', version: 0 })
    expect(await ticketRow(ctx.db, data.id)).toMatchObject({ title: 'v1', version: 1 })
  })

  it('asks to be retried later when a version is missing, changing nothing', async () => {
    const data = ticketData()
    await created(data)
    await expect(updated({ ...data, title: 'v2', version: 2 })).rejects.toBeInstanceOf(
      RetryLaterError,
    )
    expect(await ticketRow(ctx.db, data.id)).toMatchObject({ title: data.title, version: 0 })
    await updated({ ...data, title: 'v1', version: 1 })
    await updated({ ...data, title: 'v2', version: 2 })
    expect(await ticketRow(ctx.db, data.id)).toMatchObject({ title: 'v2', version: 2 })
  })

  it('asks to be retried later for a ticket the replica has not seen', async () => {
    const data = ticketData({ version: 1 })
    await expect(updated(data)).rejects.toBeInstanceOf(RetryLaterError)
    expect(await ticketRow(ctx.db, data.id)).toBeUndefined()
  })

  it('makes a sold ticket unorderable', async () => {
    const data = ticketData()
    await created(data)
    await updated({ ...data, status: 'sold', orderId: crypto.randomUUID(), version: 1 })
    const buyer = await ctx.auth.user()
    const res = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: data.id }))
    expect(res.status).toBe(400)
    expect((await res.json()).errors[0].message).toBe('Ticket has already been sold')
  })
})
