import { inTransaction } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { orderRow, outboxEvents, seedOrder, setupOrders } from '../test-support.ts'
import { cancelOrder } from './cancel-order.ts'
import { completeOrder } from './complete-order.ts'

const ctx = await setupOrders()

const del = (id: string, headers: Record<string, string> = {}) =>
  ctx.app.request(`/api/orders/${id}`, { method: 'DELETE', headers })

describe('DELETE /api/orders/:id', () => {
  it('cancels the order, bumps its version and writes order.cancelled', async () => {
    const { buyer, ticket, order } = await seedOrder(ctx)

    const res = await del(order.id, buyer.headers)

    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ status: 'cancelled', version: 1 })
    const events = await outboxEvents(ctx.db, order.id)
    expect(events.map((e) => e.type)).toEqual(['order.created', 'order.cancelled'])
    expect(events[1]?.event.data).toEqual({ id: order.id, version: 1, ticket: { id: ticket.id } })
    const shown = await ctx.app.request(`/api/orders/${order.id}`, { headers: buyer.headers })
    expect(await shown.json()).toMatchObject({ status: 'cancelled', version: 1 })
  })

  it('is 204 again for a cancelled order, publishing nothing new', async () => {
    const { buyer, order } = await seedOrder(ctx)
    expect((await del(order.id, buyer.headers)).status).toBe(204)

    const again = await del(order.id, buyer.headers)

    expect(again.status).toBe(204)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ status: 'cancelled', version: 1 })
    expect(await outboxEvents(ctx.db, order.id)).toHaveLength(2)
  })

  it('is 400 for a complete order, which stays complete', async () => {
    const { buyer, order } = await seedOrder(ctx)
    await inTransaction(ctx.deps, (tx) => completeOrder(ctx.deps, tx, { orderId: order.id }))

    const res = await del(order.id, buyer.headers)

    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: 'Cannot cancel a completed order' }] })
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ status: 'complete', version: 1 })
    expect((await outboxEvents(ctx.db, order.id)).map((e) => e.type)).toEqual([
      'order.created',
      'order.completed',
    ])
  })

  it("is 401 without a session, 403 for someone else's order, 404 unknown, 400 malformed", async () => {
    const { order } = await seedOrder(ctx)
    const stranger = await ctx.auth.user()
    expect((await del(order.id)).status).toBe(401)
    expect((await del(order.id, stranger.headers)).status).toBe(403)
    expect((await del(crypto.randomUUID(), stranger.headers)).status).toBe(404)
    expect((await del('42', stranger.headers)).status).toBe(400)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ status: 'created', version: 0 })
  })
})

describe('cancelOrder', () => {
  it('throws NotFoundError for an unknown order', async () => {
    await expect(
      inTransaction(ctx.deps, (tx) => cancelOrder(ctx.deps, tx, { orderId: crypto.randomUUID() })),
    ).rejects.toThrow('Order not found')
  })

  it('lets exactly one of a cancellation and a completion racing for one order win', async () => {
    const { order } = await seedOrder(ctx)
    const [cancelled, completed] = await Promise.all([
      inTransaction(ctx.deps, (tx) => cancelOrder(ctx.deps, tx, { orderId: order.id })),
      inTransaction(ctx.deps, (tx) => completeOrder(ctx.deps, tx, { orderId: order.id })),
    ])
    const row = await orderRow(ctx.db, order.id)
    expect(row?.version).toBe(1)
    if (row?.status === 'cancelled') {
      expect([cancelled, completed]).toEqual(['cancelled', 'cancelled'])
    } else {
      expect([cancelled, completed]).toEqual(['complete', 'completed'])
    }
    expect(await outboxEvents(ctx.db, order.id)).toHaveLength(2)
  })
})
