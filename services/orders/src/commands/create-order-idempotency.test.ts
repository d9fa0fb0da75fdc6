import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { idempotencyKeys, orders } from '../db/schema.ts'
import { json, outboxEvents, seedTicket, setupOrders } from '../test-support.ts'

const ctx = await setupOrders()

const ordersOfTicket = (ticketId: string) =>
  ctx.db.select().from(orders).where(eq(orders.ticketId, ticketId))

describe('POST /api/orders with Idempotency-Key', () => {
  it('answers a retry with the same response and creates one order and one event', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx)
    const request = () =>
      ctx.app.request(
        '/api/orders',
        json(buyer.headers, { ticketId: ticket.id }, { 'Idempotency-Key': 'order-attempt-1' }),
      )

    const first = await request()
    const second = await request()

    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.headers.get('Idempotent-Replayed')).toBe('true')
    const body = await first.json()
    expect(await second.json()).toEqual(body)
    expect(await ordersOfTicket(ticket.id)).toHaveLength(1)
    expect(await outboxEvents(ctx.db, body.id)).toHaveLength(1)
  })

  it('creates one order when retries with one key arrive at the same time', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx)
    const send = () =>
      ctx.app.request(
        '/api/orders',
        json(buyer.headers, { ticketId: ticket.id }, { 'Idempotency-Key': 'burst' }),
      )

    const statuses = (await Promise.all(Array.from({ length: 5 }, send))).map((r) => r.status)

    expect(statuses).toContain(201)
    for (const status of statuses) expect([201, 409]).toContain(status)
    const rows = await ordersOfTicket(ticket.id)
    expect(rows).toHaveLength(1)
    expect(await outboxEvents(ctx.db, rows[0]?.id as string)).toHaveLength(1)
  })

  it("stores the answer in the order's transaction: duplicates at once all get that one order", async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx)
    const send = () =>
      ctx.app.request(
        '/api/orders',
        json(buyer.headers, { ticketId: ticket.id }, { 'Idempotency-Key': 'together' }),
      )

    const answers = await Promise.all(Array.from({ length: 4 }, send))

    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201])
    const [order] = await ordersOfTicket(ticket.id)
    for (const res of answers) expect((await res.json()).id).toBe(order?.id)
    const [stored] = await ctx.db
      .select()
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.userId, buyer.user.id))
    expect(stored?.status).toBe(201)
    expect(JSON.parse(stored?.body ?? '{}').id).toBe(order?.id)
  })

  it('is 422 for the same key with a different body, creating nothing more', async () => {
    const buyer = await ctx.auth.user()
    const [a, b] = [await seedTicket(ctx), await seedTicket(ctx)]
    const key = { 'Idempotency-Key': 'order-attempt-2' }
    const first = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: a.id }, key))
    expect(first.status).toBe(201)

    const other = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: b.id }, key))

    expect(other.status).toBe(422)
    expect((await other.json()).errors[0].message).toMatch(/different request/)
    expect(await ordersOfTicket(b.id)).toHaveLength(0)
  })

  it('replays a refusal too, and keys are per user', async () => {
    const seller = await ctx.auth.user()
    const ticket = await seedTicket(ctx, { userId: seller.user.id })
    const key = { 'Idempotency-Key': 'shared-key' }
    const own = () =>
      ctx.app.request('/api/orders', json(seller.headers, { ticketId: ticket.id }, key))
    expect((await own()).status).toBe(400)
    const replay = await own()
    expect(replay.status).toBe(400)
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true')

    const buyer = await ctx.auth.user()
    const res = await ctx.app.request(
      '/api/orders',
      json(buyer.headers, { ticketId: ticket.id }, key),
    )
    expect(res.status).toBe(201)
    const stored = await ctx.db
      .select()
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.key, 'shared-key'))
    expect(stored.map((s) => s.userId).sort()).toEqual([seller.user.id, buyer.user.id].sort())
  })

  it('runs the request again once the stored response is older than 24 hours', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx)
    const key = { 'Idempotency-Key': 'order-attempt-3' }
    const send = () =>
      ctx.app.request('/api/orders', json(buyer.headers, { ticketId: ticket.id }, key))
    expect((await send()).status).toBe(201)

    ctx.clock.advance(24 * 60 * 60 * 1000 + 1000)
    const later = await send()

    expect(later.status).toBe(400)
    expect(later.headers.get('Idempotent-Replayed')).toBeNull()
    expect((await later.json()).errors[0].message).toBe('Ticket is already reserved')
  })
})
