import { describe, expect, it } from 'vitest'
import { onExpirationCompleted } from '../events/on-expiration-completed.ts'
import { onPaymentFailed } from '../events/on-payment-failed.ts'
import { handle, json, orderRow, seedOrder, seedTicket, setupOrders } from '../test-support.ts'

/** Denial of inventory and card testing, as the orders service sees them (issue 13, 3 and 4). */
const ctx = await setupOrders({
  ORDERS_OPEN_PER_USER: '2',
  ORDER_COOLDOWN_SECONDS: '600',
  RATE_LIMIT_ORDERS_PER_MINUTE: '6',
})

type Buyer = Awaited<ReturnType<typeof ctx.auth.user>>
const order = (buyer: Buyer, ticketId: string) =>
  ctx.app.request('/api/orders', json(buyer.headers, { ticketId }))
const cancel = (buyer: Buyer, orderId: string) =>
  ctx.app.request(`/api/orders/${orderId}`, { method: 'DELETE', headers: buyer.headers })

describe('limits on what one buyer can hold', () => {
  it('holds at most ORDERS_OPEN_PER_USER unpaid orders, and one more once one ends', async () => {
    const buyer = await ctx.auth.user()
    const [a, b, c] = [await seedTicket(ctx), await seedTicket(ctx), await seedTicket(ctx)]
    const first = await order(buyer, a.id)
    expect((await order(buyer, b.id)).status).toBe(201)
    const third = await order(buyer, c.id)
    expect(third.status).toBe(429)
    expect(await third.json()).toEqual({
      errors: [{ message: 'You have 2 unpaid orders: pay for or cancel one first' }],
    })
    // Until the earliest hold ends, at most.
    const wait = Number(third.headers.get('Retry-After'))
    expect(wait).toBeGreaterThan(0)
    expect(wait).toBeLessThanOrEqual(15 * 60)
    // Nothing was held for the refused order: another buyer takes the ticket.
    expect((await order(await ctx.auth.user(), c.id)).status).toBe(201)
    expect((await cancel(buyer, (await first.json()).id)).status).toBe(204)
    const other = await seedTicket(ctx)
    expect((await order(buyer, other.id)).status).toBe(201)
  })

  it('makes a buyer who cancelled wait out the cool-down before ordering that ticket again', async () => {
    const { buyer, ticket, order: placed } = await seedOrder(ctx)
    expect((await cancel(buyer, placed.id)).status).toBe(204)
    const again = await order(buyer, ticket.id)
    expect(again.status).toBe(429)
    expect(Number(again.headers.get('Retry-After'))).toBe(600)
    // Someone else may order it at once; the ticket is not held by the refusal.
    const other = await ctx.auth.user()
    const taken = await order(other, ticket.id)
    expect(taken.status).toBe(201)
    expect((await cancel(other, (await taken.json()).id)).status).toBe(204)
    ctx.clock.advance(601_000)
    expect((await order(buyer, ticket.id)).status).toBe(201)
  })

  it('counts the cool-down from a hold that expired, too', async () => {
    const { buyer, ticket, order: placed } = await seedOrder(ctx)
    await handle(ctx.db, onExpirationCompleted(ctx.deps), 'expiration.completed', {
      orderId: placed.id,
    })
    expect((await orderRow(ctx.db, placed.id))?.status).toBe('cancelled')
    expect((await order(buyer, ticket.id)).status).toBe(429)
  })

  it('limits the orders a buyer places per minute, not the attempts refused', async () => {
    const buyer = await ctx.auth.user()
    // A client polling until orders has heard of a new ticket (404) spends nothing.
    for (let i = 0; i < 10; i++) {
      expect((await order(buyer, crypto.randomUUID())).status).toBe(404)
    }
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const ticket = await seedTicket(ctx)
      const res = await order(buyer, ticket.id)
      statuses.push(res.status)
      if (res.status === 201) await cancel(buyer, (await res.json()).id)
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 429])
  })
})

describe('card testing', () => {
  it("cancels the order when payments says that was the order's last allowed decline", async () => {
    const { order: placed } = await seedOrder(ctx)
    const failed = (tooManyDeclines?: boolean) =>
      handle(ctx.db, onPaymentFailed(ctx.deps), 'payment.failed', {
        id: crypto.randomUUID(),
        orderId: placed.id,
        reason: 'Your card was declined.',
        ...(tooManyDeclines && { tooManyDeclines }),
      })
    await failed()
    expect((await orderRow(ctx.db, placed.id))?.status).toBe('created')
    await failed(true)
    expect((await orderRow(ctx.db, placed.id))?.status).toBe('cancelled')
  })
})
