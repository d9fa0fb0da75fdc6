import { inTransaction } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { onTicketUpdated } from '../events/on-ticket-updated.ts'
import { handle, json, orderRow, outboxEvents, seedTicket, setupOrders } from '../test-support.ts'
import { updateTicket } from './apply-ticket.ts'

const ctx = await setupOrders()

/** The seller's edit as it reaches the replica: ticket.updated, one version on. */
async function sellerEdits(ticket: Awaited<ReturnType<typeof seedTicket>>, price: number) {
  await inTransaction(ctx.deps, (tx) =>
    updateTicket(tx, { ...ticket, price, version: ticket.version + 1 }),
  )
}

describe('the price an order is placed at', () => {
  it('stays on the order and its event when the seller edits the ticket a moment later', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx, { price: 4000 })
    const res = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: ticket.id }))
    const order = await res.json()
    await handle(ctx.db, onTicketUpdated(ctx.deps), 'ticket.updated', {
      ...ticket,
      price: 9_000_000,
      version: 1,
    })
    expect((await orderRow(ctx.db, order.id))?.price).toBe(4000)
    const shown = await ctx.app.request(`/api/orders/${order.id}`, { headers: buyer.headers })
    expect((await shown.json()).ticket.price).toBe(4000)
    const [created] = await outboxEvents(ctx.db, order.id)
    const data = created?.event.data as { ticket: { price: number } } | undefined
    expect(data?.ticket.price).toBe(4000)
  })

  it('is refused with 409, holding nothing, when the ticket no longer costs what the buyer saw', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx, { price: 4000 })
    await sellerEdits(ticket, 9_000_000)
    const res = await ctx.app.request(
      '/api/orders',
      json(buyer.headers, { ticketId: ticket.id, expectedPrice: 4000 }),
    )
    expect(res.status).toBe(409)
    expect(await res.json()).toEqual({
      errors: [{ message: 'The ticket changed since you saw it; look at it again' }],
    })
    const other = await ctx.auth.user()
    const free = await ctx.app.request(
      '/api/orders',
      json(other.headers, { ticketId: ticket.id, expectedPrice: 9_000_000 }),
    )
    expect(free.status).toBe(201)
  })

  it('is refused with 409 when the ticket version moved on, and placed when it matches', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx, { price: 2500 })
    await sellerEdits(ticket, 2500)
    const stale = await ctx.app.request(
      '/api/orders',
      json(buyer.headers, { ticketId: ticket.id, ticketVersion: 0 }),
    )
    expect(stale.status).toBe(409)
    const fresh = await ctx.app.request(
      '/api/orders',
      json(buyer.headers, { ticketId: ticket.id, ticketVersion: 1, expectedPrice: 2500 }),
    )
    expect(fresh.status).toBe(201)
  })

  it('names a malformed expectedPrice or ticketVersion', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx)
    const res = await ctx.app.request(
      '/api/orders',
      json(buyer.headers, { ticketId: ticket.id, expectedPrice: '4000', ticketVersion: -1 }),
    )
    expect(res.status).toBe(400)
    expect((await res.json()).errors).toEqual([
      { message: 'expectedPrice must be a whole number of yen', field: 'expectedPrice' },
      { message: 'ticketVersion must be a whole number', field: 'ticketVersion' },
    ])
  })
})
