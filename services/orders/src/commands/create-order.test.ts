import { inTransaction } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { orders } from '../db/schema.ts'
import {
  HOLD_SECONDS,
  json,
  orderRow,
  outboxEvents,
  seedOrder,
  seedTicket,
  setupOrders,
} from '../test-support.ts'
import { completeOrder } from './complete-order.ts'

const ctx = await setupOrders()

describe('POST /api/orders', () => {
  it('creates an order holding the ticket and writes order.created to the outbox', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx, { title: 'Fuji Rock day 1', price: 18_000 })
    const now = ctx.clock()
    const wakesBefore = ctx.wakes.count

    const res = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: ticket.id }))

    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body).toEqual({
      id: expect.any(String),
      userId: buyer.user.id,
      status: 'created',
      expiresAt: new Date(now.getTime() + HOLD_SECONDS * 1000).toISOString(),
      ticket: { id: ticket.id, title: 'Fuji Rock day 1', price: 18_000 },
      version: 0,
      createdAt: now.toISOString(),
      paymentError: null,
      refundedAt: null,
      // The default fees: 5 % of 18,000 for the buyer, charged on top.
      price: 18_000,
      buyerFee: 900,
      total: 18_900,
      claim: null,
    })
    const row = await orderRow(ctx.db, body.id)
    expect(row).toMatchObject({ userId: buyer.user.id, ticketId: ticket.id, status: 'created' })
    const events = await outboxEvents(ctx.db, body.id)
    expect(events).toHaveLength(1)
    // Keyed by the ticket, so every order of one ticket stays in order on the topic.
    expect(events[0]).toMatchObject({
      type: 'order.created',
      topic: 'orders',
      key: ticket.id,
      sentAt: null,
    })
    expect(events[0]?.event).toMatchObject({
      type: 'order.created',
      source: 'orders',
      occurredAt: now.toISOString(),
      data: {
        id: body.id,
        userId: buyer.user.id,
        status: 'created',
        expiresAt: body.expiresAt,
        version: 0,
        ticket: { id: ticket.id, title: 'Fuji Rock day 1', price: 18_000 },
        sellerId: ticket.userId,
        eventId: null,
        buyerFee: 900,
        sellerFee: 900,
        total: 18_900,
      },
    })
    expect(row).toMatchObject({ price: 18_000, buyerFee: 900, sellerFee: 900, total: 18_900 })
    expect(ctx.wakes.count).toBe(wakesBefore + 1)
  })

  it('takes the hold from ORDER_HOLD_SECONDS and the time from the clock', async () => {
    ctx.clock.advance(3_600_000)
    const { order } = await seedOrder(ctx)
    const row = await orderRow(ctx.db, order.id)
    expect(row?.createdAt.toISOString()).toBe(ctx.clock().toISOString())
    expect(row?.expiresAt.getTime()).toBe(ctx.clock().getTime() + HOLD_SECONDS * 1000)
  })

  it('is 401 without a session', async () => {
    const ticket = await seedTicket(ctx)
    const res = await ctx.app.request('/api/orders', json({}, { ticketId: ticket.id }))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ errors: [{ message: 'Not authorized' }] })
  })

  it('is 400 with the field for a missing or malformed ticketId', async () => {
    const buyer = await ctx.auth.user()
    for (const body of [{}, { ticketId: 'not-a-uuid' }, { ticketId: 42 }]) {
      const res = await ctx.app.request('/api/orders', json(buyer.headers, body))
      expect(res.status).toBe(400)
      const { errors } = await res.json()
      expect(errors[0]).toMatchObject({ field: 'ticketId' })
    }
  })

  it('is 404 for a ticket the replica does not know, with nothing written', async () => {
    const buyer = await ctx.auth.user()
    const ticketId = crypto.randomUUID()
    const res = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId }))
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ errors: [{ message: 'Ticket not found' }] })
  })

  it("is 400 for the seller's own ticket", async () => {
    const seller = await ctx.auth.user()
    const ticket = await seedTicket(ctx, { userId: seller.user.id })
    const res = await ctx.app.request('/api/orders', json(seller.headers, { ticketId: ticket.id }))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: 'Cannot order your own ticket' }] })
    expect(await ctx.db.select().from(orders).where(eq(orders.ticketId, ticket.id))).toEqual([])
  })

  it('is 400 for a sold ticket', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx, { status: 'sold', orderId: crypto.randomUUID() })
    const res = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: ticket.id }))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: 'Ticket has already been sold' }] })
  })

  it('is 400 "Ticket is already reserved" while another order holds the ticket', async () => {
    const { ticket } = await seedOrder(ctx)
    const other = await ctx.auth.user()
    const res = await ctx.app.request('/api/orders', json(other.headers, { ticketId: ticket.id }))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: 'Ticket is already reserved' }] })
  })

  it('lets another buyer order the ticket once the earlier order is cancelled', async () => {
    const { buyer, ticket, order } = await seedOrder(ctx)
    const del = await ctx.app.request(`/api/orders/${order.id}`, {
      method: 'DELETE',
      headers: buyer.headers,
    })
    expect(del.status).toBe(204)
    const next = await ctx.auth.user()
    const res = await ctx.app.request('/api/orders', json(next.headers, { ticketId: ticket.id }))
    expect(res.status).toBe(201)
    expect((await res.json()).userId).toBe(next.user.id)
  })

  it('refuses a second order once the first is complete (the index counts complete too)', async () => {
    const { ticket, order } = await seedOrder(ctx)
    expect(
      await inTransaction(ctx.deps, (tx) => completeOrder(ctx.deps, tx, { orderId: order.id })),
    ).toBe('completed')
    const other = await ctx.auth.user()
    const res = await ctx.app.request('/api/orders', json(other.headers, { ticketId: ticket.id }))
    expect(res.status).toBe(400)
    expect((await res.json()).errors[0].message).toBe('Ticket is already reserved')
  })
})
