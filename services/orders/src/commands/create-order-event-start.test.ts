import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { orders, tickets } from '../db/schema.ts'
import { onTicketUpdated } from '../events/on-ticket-updated.ts'
import { handle, json, seedTicket, setupOrders } from '../test-support.ts'
import { SALES_ENDED } from './create-order.ts'

const ctx = await setupOrders()

describe('POST /api/orders for a ticket of an event', () => {
  it('keeps the start from the ticket events in the replica', async () => {
    const startsAt = new Date(ctx.clock().getTime() + 3_600_000)
    const ticket = await seedTicket(ctx, {
      eventId: crypto.randomUUID(),
      faceValue: 2500,
      eventStartsAt: startsAt.toISOString(),
    })
    const [row] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id))
    expect(row?.eventStartsAt).toEqual(startsAt)
    expect(row).not.toHaveProperty('faceValue')
  })

  it('orders until the start, and refuses from the start on with 400, placing nothing', async () => {
    const start = ctx.clock()
    const startsAt = new Date(start.getTime() + 60_000)
    const early = await seedTicket(ctx, { eventStartsAt: startsAt.toISOString() })
    const late = await seedTicket(ctx, { eventStartsAt: startsAt.toISOString() })
    const buyer = await ctx.auth.user()
    const ok = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: early.id }))
    expect(ok.status).toBe(201)
    ctx.clock.advance(60_000)
    try {
      const res = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: late.id }))
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ errors: [{ message: SALES_ENDED }] })
      expect(await ctx.db.select().from(orders).where(eq(orders.ticketId, late.id))).toEqual([])
    } finally {
      ctx.clock.set(start)
    }
  })

  it('applies a ticket.updated from a producer that sends no start (older tickets service)', async () => {
    const ticket = await seedTicket(ctx)
    // What a tickets service of before events sends: none of the new keys.
    const old = {
      id: ticket.id,
      title: ticket.title,
      price: 3000,
      userId: ticket.userId,
      status: ticket.status,
      orderId: null,
      version: 1,
    }
    await handle(ctx.db, onTicketUpdated(ctx.deps), 'ticket.updated', old)
    const [row] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id))
    expect(row).toMatchObject({ price: 3000, version: 1, eventStartsAt: null })
  })
})
