import { inTransaction } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { recordPaymentFailure } from '../commands/record-payment-failure.ts'
import { json, seedOrder, seedTicket, setupOrders } from '../test-support.ts'

const ctx = await setupOrders()

describe('GET /api/orders', () => {
  it("lists only the caller's orders, newest first, each with its ticket", async () => {
    const buyer = await ctx.auth.user()
    const tickets = [
      await seedTicket(ctx, { title: 'first' }),
      await seedTicket(ctx, { title: 'second' }),
    ]
    const ids: string[] = []
    for (const ticket of tickets) {
      ctx.clock.advance(60_000)
      const res = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: ticket.id }))
      ids.push((await res.json()).id)
    }
    await seedOrder(ctx) // someone else's order

    const res = await ctx.app.request('/api/orders', { headers: buyer.headers })

    expect(res.status).toBe(200)
    const list = await res.json()
    expect(list.map((o: { id: string }) => o.id)).toEqual([ids[1], ids[0]])
    expect(list[0]).toMatchObject({
      userId: buyer.user.id,
      status: 'created',
      ticket: { id: tickets[1]?.id, title: 'second', price: 2500 },
      paymentError: null,
    })
  })

  it('is an empty list for a buyer with no orders', async () => {
    const buyer = await ctx.auth.user()
    const res = await ctx.app.request('/api/orders', { headers: buyer.headers })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([])
  })

  it('is 401 without a session', async () => {
    const res = await ctx.app.request('/api/orders')
    expect(res.status).toBe(401)
  })
})

describe('GET /api/orders/:id', () => {
  it('shows the owner the order, with why the last payment failed', async () => {
    const { buyer, ticket, order } = await seedOrder(ctx)
    const at = new Date('2026-02-01T10:00:00Z')
    await inTransaction(ctx.deps, (tx) =>
      recordPaymentFailure(tx, { orderId: order.id, reason: 'Card declined', at }),
    )

    const res = await ctx.app.request(`/api/orders/${order.id}`, { headers: buyer.headers })

    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      id: order.id,
      userId: buyer.user.id,
      status: 'created',
      version: 0,
      ticket: { id: ticket.id, title: ticket.title, price: ticket.price },
      paymentError: { message: 'Card declined', at: at.toISOString() },
    })
  })

  it('is 401 without a session, 403 for another user, 404 for an unknown id', async () => {
    const { order } = await seedOrder(ctx)
    const stranger = await ctx.auth.user()
    expect((await ctx.app.request(`/api/orders/${order.id}`)).status).toBe(401)
    const forbidden = await ctx.app.request(`/api/orders/${order.id}`, {
      headers: stranger.headers,
    })
    expect(forbidden.status).toBe(403)
    expect(await forbidden.json()).toEqual({ errors: [{ message: 'Forbidden' }] })
    const missing = await ctx.app.request(`/api/orders/${crypto.randomUUID()}`, {
      headers: stranger.headers,
    })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ errors: [{ message: 'Order not found' }] })
  })

  it('is 400 in the error shape for a malformed id, never 500', async () => {
    const buyer = await ctx.auth.user()
    const res = await ctx.app.request('/api/orders/not-an-id', { headers: buyer.headers })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      errors: [{ message: 'Order id must be a valid id', field: 'id' }],
    })
  })
})
