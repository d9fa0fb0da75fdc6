import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { CLAIM_ALREADY_RESOLVED, CLAIM_WINDOW_CLOSED } from '../commands/open-claim.ts'
import { claims, orders, outbox } from '../db/schema.ts'
import { onPaymentSucceeded } from '../events/on-payment-succeeded.ts'
import { handle, json, seedOrder, setupOrders } from '../test-support.ts'

const ctx = await setupOrders()
const HOUR = 3_600_000

/** A paid order of a ticket whose event ends in a day. */
async function paidOrder(eventEndsAt: Date | null = new Date(ctx.clock().getTime() + 24 * HOUR)) {
  const startsAt = new Date(ctx.clock().getTime() + 20 * HOUR)
  const seeded = await seedOrder(ctx, {
    eventId: crypto.randomUUID(),
    faceValue: 2500,
    eventStartsAt: startsAt.toISOString(),
    eventEndsAt: eventEndsAt?.toISOString() ?? null,
  })
  await handle(ctx.db, onPaymentSucceeded(ctx.deps), 'payment.succeeded', {
    id: crypto.randomUUID(),
    orderId: seeded.order.id,
    amount: 2500,
    stripeId: 'pi_test',
  })
  return { ...seeded, startsAt }
}

async function claim(orderId: string, headers: Record<string, string>, body: unknown) {
  const res = await ctx.app.request(`/api/orders/${orderId}/claims`, json(headers, body))
  return { res, body: await res.json() }
}

const claimEvents = async (type: string) =>
  (await ctx.db.select().from(outbox).where(eq(outbox.type, type))).map((r) =>
    JSON.parse(r.payload),
  )

describe('POST /api/orders/:id/claims', () => {
  it('opens a claim for the buyer of a paid order, shows it on the order and writes claim.opened', async () => {
    const { buyer, ticket, order } = await paidOrder()
    const { res, body } = await claim(order.id, buyer.headers, {
      reason: 'not received',
      details: '  No e-ticket yet  ',
    })
    expect(res.status).toBe(201)
    expect(body).toMatchObject({
      orderId: order.id,
      userId: buyer.user.id,
      ticketId: ticket.id,
      reason: 'not received',
      details: 'No e-ticket yet',
      status: 'open',
      outcome: null,
    })
    const opened = (await claimEvents('claim.opened')).find((e) => e.data.id === body.id)
    expect(opened?.data).toEqual({
      id: body.id,
      orderId: order.id,
      userId: buyer.user.id,
      reason: 'not received',
      ticket: { id: ticket.id },
    })
    const view = await ctx.app.request(`/api/orders/${order.id}`, { headers: buyer.headers })
    expect((await view.json()).claim).toEqual({
      id: body.id,
      reason: 'not received',
      status: 'open',
      outcome: null,
      openedAt: ctx.clock().toISOString(),
    })
    const list = await ctx.app.request('/api/orders', { headers: buyer.headers })
    expect((await list.json())[0].claim.id).toBe(body.id)

    // One open claim per order.
    const again = await claim(order.id, buyer.headers, { reason: 'invalid' })
    expect(again.res.status).toBe(409)
    expect(again.body).toEqual({ errors: [{ message: 'This order already has an open claim' }] })
  })

  it('answers 404 to someone who is not the buyer, and to an unknown order', async () => {
    const { order } = await paidOrder()
    const other = await ctx.auth.user()
    const res = await claim(order.id, other.headers, { reason: 'invalid' })
    expect(res.res.status).toBe(404)
    expect(res.body).toEqual({ errors: [{ message: 'Order not found' }] })
    expect(
      (await claim(crypto.randomUUID(), other.headers, { reason: 'invalid' })).res.status,
    ).toBe(404)
    expect(await ctx.db.select().from(claims).where(eq(claims.orderId, order.id))).toEqual([])
  })

  it('refuses an unpaid order and a refunded one with 400', async () => {
    const unpaid = await seedOrder(ctx)
    const res = await claim(unpaid.order.id, unpaid.buyer.headers, { reason: 'invalid' })
    expect(res.res.status).toBe(400)
    expect(res.body).toEqual({ errors: [{ message: 'Only a paid order can be claimed' }] })

    const refunded = await paidOrder()
    await ctx.db
      .update(orders)
      .set({ refundedAt: ctx.clock() })
      .where(eq(orders.id, refunded.order.id))
    const late = await claim(refunded.order.id, refunded.buyer.headers, { reason: 'invalid' })
    expect(late.res.status).toBe(400)
    expect(late.body).toEqual({ errors: [{ message: 'This order has been refunded' }] })
  })

  it('is open until CLAIM_WINDOW_HOURS after the event ends (or starts, its end unknown)', async () => {
    const start = ctx.clock()
    try {
      const ends = await paidOrder()
      const noEnd = await paidOrder(null)
      // 48 hours after the start of the event without an end: 20 h + 48 h from now.
      ctx.clock.set(new Date(start.getTime() + 68 * HOUR))
      const closed = await claim(noEnd.order.id, noEnd.buyer.headers, { reason: 'invalid' })
      expect(closed.res.status).toBe(400)
      expect(closed.body).toEqual({ errors: [{ message: CLAIM_WINDOW_CLOSED }] })
      // The other ends 24 h from the start: open until 72 h.
      ctx.clock.set(new Date(start.getTime() + 72 * HOUR - 1))
      expect(
        (await claim(ends.order.id, ends.buyer.headers, { reason: 'invalid' })).res.status,
      ).toBe(201)
    } finally {
      ctx.clock.set(start)
    }
  })

  it.each([
    [{}, 'reason'],
    [{ reason: 'changed my mind' }, 'reason'],
    [{ reason: 'invalid', details: 'x'.repeat(1001) }, 'details'],
    [{ reason: 'invalid', details: 7 }, 'details'],
  ])('refuses %j with 400 on %s, opening nothing', async (body, field) => {
    const { buyer, order } = await paidOrder()
    const res = await claim(order.id, buyer.headers, body)
    expect(res.res.status).toBe(400)
    expect(res.body.errors[0].field).toBe(field)
    expect(await ctx.db.select().from(claims).where(eq(claims.orderId, order.id))).toEqual([])
  })
})

describe('admin claim routes', () => {
  it('lists claims newest first by status, a page at a time, for admins only', async () => {
    const admin = await ctx.auth.admin()
    // Later than every claim the other tests opened: these three are the newest.
    ctx.clock.advance(1000 * HOUR)
    const made: string[] = []
    for (let i = 0; i < 3; i++) {
      const { buyer, order } = await paidOrder()
      made.push((await claim(order.id, buyer.headers, { reason: 'invalid' })).body.id)
      ctx.clock.advance(1000)
    }
    const first = await ctx.app.request('/api/claims?status=open&limit=2', {
      headers: admin.headers,
    })
    expect(first.status).toBe(200)
    const page = await first.json()
    expect(page.map((c: { id: string }) => c.id)).toEqual([made[2], made[1]])
    const link = first.headers.get('Link') ?? ''
    const next = /<([^>]+)>/.exec(link)?.[1] ?? ''
    expect(next).toContain('status=open')
    const second = await (await ctx.app.request(next, { headers: admin.headers })).json()
    expect(second[0].id).toBe(made[0])

    const user = await ctx.auth.user()
    const refused = await ctx.app.request('/api/claims', { headers: user.headers })
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual({ errors: [{ message: 'Admins only' }] })
    expect((await ctx.app.request('/api/claims')).status).toBe(401)
    const bad = await ctx.app.request('/api/claims?status=maybe', { headers: admin.headers })
    expect(bad.status).toBe(400)
    const badCursor = await ctx.app.request('/api/claims?cursor=abc', { headers: admin.headers })
    expect(badCursor.status).toBe(400)
  })

  it('resolves an open claim once (claim.resolved); again is 409; a user gets 403', async () => {
    const admin = await ctx.auth.admin()
    const { buyer, ticket, order } = await paidOrder()
    const opened = (await claim(order.id, buyer.headers, { reason: 'not as described' })).body
    const url = `/api/claims/${opened.id}/resolve`

    const refused = await ctx.app.request(url, json(buyer.headers, { outcome: 'refund' }))
    expect(refused.status).toBe(403)
    const badOutcome = await ctx.app.request(url, json(admin.headers, { outcome: 'maybe' }))
    expect(badOutcome.status).toBe(400)

    const res = await ctx.app.request(url, json(admin.headers, { outcome: 'refund', note: 'Fake' }))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      id: opened.id,
      status: 'resolved',
      outcome: 'refund',
      note: 'Fake',
      resolvedAt: ctx.clock().toISOString(),
    })
    const events = (await claimEvents('claim.resolved')).filter((e) => e.data.id === opened.id)
    expect(events.map((e) => e.data)).toEqual([
      { id: opened.id, orderId: order.id, outcome: 'refund', ticket: { id: ticket.id } },
    ])
    const again = await ctx.app.request(url, json(admin.headers, { outcome: 'release' }))
    expect(again.status).toBe(409)
    expect(await again.json()).toEqual({ errors: [{ message: 'Claim is already resolved' }] })
    expect(
      (await claimEvents('claim.resolved')).filter((e) => e.data.id === opened.id),
    ).toHaveLength(1)

    const unknown = await ctx.app.request(
      `/api/claims/${crypto.randomUUID()}/resolve`,
      json(admin.headers, { outcome: 'release' }),
    )
    expect(unknown.status).toBe(404)
    const view = await ctx.app.request(`/api/orders/${order.id}`, { headers: buyer.headers })
    expect((await view.json()).claim).toMatchObject({ status: 'resolved', outcome: 'refund' })
  })

  it('refuses a second claim once the first was resolved (one claim per order), changing nothing', async () => {
    const admin = await ctx.auth.admin()
    const { buyer, order } = await paidOrder()
    const opened = (await claim(order.id, buyer.headers, { reason: 'invalid' })).body
    const resolved = await ctx.app.request(
      `/api/claims/${opened.id}/resolve`,
      json(admin.headers, { outcome: 'release' }),
    )
    expect(resolved.status).toBe(200)
    const openedBefore = (await claimEvents('claim.opened')).length

    const again = await claim(order.id, buyer.headers, { reason: 'not received' })
    expect(again.res.status).toBe(409)
    expect(again.body).toEqual({ errors: [{ message: CLAIM_ALREADY_RESOLVED }] })
    const rows = await ctx.db.select().from(claims).where(eq(claims.orderId, order.id))
    expect(rows.map((r) => [r.id, r.status])).toEqual([[opened.id, 'resolved']])
    expect(await claimEvents('claim.opened')).toHaveLength(openedBefore)
  })
})
