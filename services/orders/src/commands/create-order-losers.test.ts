import { countTransactions } from '@twtix/common/testing'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { idempotencyKeys, orders } from '../db/schema.ts'
import { json, seedTicket, setupOrders } from '../test-support.ts'

const ctx = await setupOrders({ ORDERS_OPEN_PER_USER: '2' })

const keysOf = (userId: string) =>
  ctx.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, userId))

const order = (headers: Record<string, string>, ticketId: string, key?: string) =>
  ctx.app.request(
    '/api/orders',
    json(headers, { ticketId }, key === undefined ? {} : { 'Idempotency-Key': key }),
  )

describe('POST /api/orders for a ticket another order holds', () => {
  it('is refused without claiming the Idempotency-Key', async () => {
    const [winner, loser] = [await ctx.auth.user(), await ctx.auth.user()]
    const ticket = await seedTicket(ctx)
    expect((await order(winner.headers, ticket.id, 'win')).status).toBe(201)

    const res = await order(loser.headers, ticket.id, 'lose')

    expect(res.status).toBe(400)
    expect((await res.json()).errors[0].message).toBe('Ticket is already reserved')
    expect(await keysOf(loser.user.id)).toHaveLength(0)
    expect(await keysOf(winner.user.id)).toHaveLength(1)
  })

  it('names a malformed Idempotency-Key before the hold', async () => {
    const [winner, loser] = [await ctx.auth.user(), await ctx.auth.user()]
    const ticket = await seedTicket(ctx)
    expect((await order(winner.headers, ticket.id)).status).toBe(201)

    const res = await order(loser.headers, ticket.id, 'bad key')

    expect(res.status).toBe(400)
    expect((await res.json()).errors[0].message).toMatch(/Idempotency-Key must be/)
  })

  it("lets the loser's key win the ticket once the hold is released", async () => {
    const [winner, loser] = [await ctx.auth.user(), await ctx.auth.user()]
    const ticket = await seedTicket(ctx)
    const first = await order(winner.headers, ticket.id)
    expect((await order(loser.headers, ticket.id, 'again')).status).toBe(400)

    const { id } = await first.json()
    expect(
      (await ctx.app.request(`/api/orders/${id}`, { ...winner, method: 'DELETE' })).status,
    ).toBe(204)
    const retry = await order(loser.headers, ticket.id, 'again')

    expect(retry.status).toBe(201)
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull()
  })

  it('replays the winner its own order for a retry with the same key', async () => {
    const winner = await ctx.auth.user()
    const ticket = await seedTicket(ctx)
    const first = await order(winner.headers, ticket.id, 'mine')
    const retry = await order(winner.headers, ticket.id, 'mine')

    expect(retry.status).toBe(201)
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await retry.json()).toEqual(await first.json())
  })

  it('gives a refusal that comes first (the buyer at their limit) and stores it under the key', async () => {
    const [winner, buyer] = [await ctx.auth.user(), await ctx.auth.user()]
    const held = await seedTicket(ctx)
    expect((await order(winner.headers, held.id)).status).toBe(201)
    for (let i = 0; i < 2; i++) {
      expect((await order(buyer.headers, (await seedTicket(ctx)).id)).status).toBe(201)
    }

    const res = await order(buyer.headers, held.id, 'limited')

    expect(res.status).toBe(429)
    const [stored] = await keysOf(buyer.user.id)
    expect(stored?.status).toBe(429)
    const active = await ctx.db
      .select()
      .from(orders)
      .where(and(eq(orders.ticketId, held.id), eq(orders.userId, buyer.user.id)))
    expect(active).toHaveLength(0)
  })

  it("tells a crowd racing one ticket no, and places the winner's order, without a transaction", async () => {
    const ticket = await seedTicket(ctx)
    const crowd = await Promise.all(Array.from({ length: 20 }, () => ctx.auth.user()))
    let answers: Response[] = []
    const opened = await countTransactions(ctx.db, async () => {
      answers = await Promise.all(crowd.map((b, i) => order(b.headers, ticket.id, `crowd-${i}`)))
    })

    const statuses = answers.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 400)).toHaveLength(19)
    expect(opened).toBe(0)
    const keys = await Promise.all(crowd.map((b) => keysOf(b.user.id)))
    expect(keys.flat()).toHaveLength(1)
  })
})
