import { countTransactions } from '@twtix/common/testing'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { idempotencyKeys, orders } from '../db/schema.ts'
import { orderingContext } from '../queries/ordering-context.ts'
import { json, outboxEvents, seedTicket, setupOrders } from '../test-support.ts'
import { HeldTicketError, placeOrderAtOnce } from './create-order.ts'

const ctx = await setupOrders()

const keysOf = (userId: string) =>
  ctx.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, userId))

const ordersOf = (ticketId: string) =>
  ctx.db.select().from(orders).where(eq(orders.ticketId, ticketId))

/** placeOrderAtOnce for the buyer under Idempotency-Key `k`, with a read taken earlier. */
const placeUnderK = (
  userId: string,
  ticketId: string,
  read: Awaited<ReturnType<typeof readFor>>,
  requestHash: string,
) => placeOrderAtOnce(ctx.deps, { userId, ticketId }, read, { key: 'k', requestHash })

/** What the route reads before it places an order: the read placeOrderAtOnce is handed. */
async function readFor(userId: string, ticketId: string) {
  const now = ctx.clock()
  const context = await orderingContext(ctx.db, ctx.deps, { userId, ticketId }, now, 'k')
  if (!context) throw new Error('no ticket')
  return { context, now, mayPlace: true }
}

describe('an order placed at once (one statement, no transaction)', () => {
  it('commits the order, its event and the answer under the key together', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx)
    const wakes = ctx.wakes.count
    let res = new Response()
    const opened = await countTransactions(ctx.db, async () => {
      res = await ctx.app.request(
        '/api/orders',
        json(buyer.headers, { ticketId: ticket.id }, { 'Idempotency-Key': 'at-once' }),
      )
    })

    expect(res.status).toBe(201)
    expect(opened).toBe(0)
    const text = await res.text()
    const [stored] = await keysOf(buyer.user.id)
    expect(stored).toMatchObject({ key: 'at-once', status: 201, body: text })
    const { id } = JSON.parse(text)
    expect((await ordersOf(ticket.id)).map((o) => o.id)).toEqual([id])
    const events = await outboxEvents(ctx.db, id)
    expect(events.map((e) => e.type)).toEqual(['order.created'])
    expect(ctx.wakes.count).toBe(wakes + 1)
  })

  it('writes nothing when the key was claimed since the read: the full path decides', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx)
    const read = await readFor(buyer.user.id, ticket.id)
    await ctx.db.insert(idempotencyKeys).values({
      userId: buyer.user.id,
      key: 'k',
      requestHash: 'another request',
      status: null,
      body: null,
      createdAt: ctx.clock(),
    })

    const placed = await placeUnderK(buyer.user.id, ticket.id, read, 'this request')

    expect(placed).toBeUndefined()
    expect(await ordersOf(ticket.id)).toHaveLength(0)
    const [kept] = await keysOf(buyer.user.id)
    expect(kept).toMatchObject({ requestHash: 'another request', status: null })
  })

  it('refuses a loser who read before the winner committed, without writing its key', async () => {
    const [buyer, other] = [await ctx.auth.user(), await ctx.auth.user()]
    const ticket = await seedTicket(ctx)
    const read = await readFor(buyer.user.id, ticket.id)
    const first = await ctx.app.request('/api/orders', json(other.headers, { ticketId: ticket.id }))
    expect(first.status).toBe(201)

    const placing = placeUnderK(buyer.user.id, ticket.id, read, 'this request')

    await expect(placing).rejects.toBeInstanceOf(HeldTicketError)
    expect(await keysOf(buyer.user.id)).toHaveLength(0)
    const all = await ordersOf(ticket.id)
    expect(all.map((o) => o.userId)).toEqual([other.user.id])
  })

  it('leaves a retry that read before its first attempt committed to the full path', async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx)
    const read = await readFor(buyer.user.id, ticket.id)
    const key = { 'Idempotency-Key': 'k' }
    const first = await ctx.app.request(
      '/api/orders',
      json(buyer.headers, { ticketId: ticket.id }, key),
    )
    expect(first.status).toBe(201)

    const placed = await placeUnderK(buyer.user.id, ticket.id, read, 'the same request')

    expect(placed).toBeUndefined()
    expect(await ordersOf(ticket.id)).toHaveLength(1)
    const [stored] = await keysOf(buyer.user.id)
    expect(stored?.body).toBe(await first.text())
  })

  it("gives a buyer's second request with another key, sent at once, the full path's refusal", async () => {
    const buyer = await ctx.auth.user()
    const ticket = await seedTicket(ctx)
    const send = (key: string) =>
      ctx.app.request(
        '/api/orders',
        json(buyer.headers, { ticketId: ticket.id }, { 'Idempotency-Key': key }),
      )

    const answers = await Promise.all([send('click-1'), send('click-2')])

    expect(answers.map((r) => r.status).sort()).toEqual([201, 400])
    expect(await ordersOf(ticket.id)).toHaveLength(1)
    const keys = await keysOf(buyer.user.id)
    expect(keys.map((k) => k.status)).toEqual([201])
  })
})
