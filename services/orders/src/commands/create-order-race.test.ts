import { and, eq, inArray, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { orders, outbox } from '../db/schema.ts'
import { json, seedTicket, setupOrders } from '../test-support.ts'

// Each buyer races for every ticket at once: more open orders than one buyer may keep.
const ctx = await setupOrders({ ORDERS_OPEN_PER_USER: '100' })

async function buyers(n: number) {
  return Promise.all(Array.from({ length: n }, () => ctx.auth.user()))
}

function order(headers: Record<string, string>, ticketId: string) {
  return ctx.app.request('/api/orders', json(headers, { ticketId }))
}

async function orderCreatedEventsFor(ticketId: string) {
  const rows = await ctx.db
    .select({ payload: outbox.payload })
    .from(outbox)
    .where(eq(outbox.type, 'order.created'))
  return rows.filter((r) => JSON.parse(r.payload).data.ticket.id === ticketId)
}

describe('competing buyers (the database decides)', () => {
  it('gives one of 50 concurrent buyers the ticket and tells 49 it is reserved', async () => {
    const ticket = await seedTicket(ctx)
    const people = await buyers(50)

    const responses = await Promise.all(people.map((p) => order(p.headers, ticket.id)))

    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 400)).toHaveLength(49)
    const bodies = await Promise.all(responses.map((r) => r.json()))
    const refused = bodies.filter((_, i) => statuses[i] === 400)
    for (const body of refused) {
      expect(body).toEqual({ errors: [{ message: 'Ticket is already reserved' }] })
    }
    const winner = bodies[statuses.indexOf(201)]
    const active = await ctx.db
      .select()
      .from(orders)
      .where(and(eq(orders.ticketId, ticket.id), inArray(orders.status, ['created', 'complete'])))
    expect(active).toHaveLength(1)
    expect(active[0]?.id).toBe(winner.id)
    const [all] = await ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .where(eq(orders.ticketId, ticket.id))
    expect(all?.n).toBe(1)
    expect(await orderCreatedEventsFor(ticket.id)).toHaveLength(1)
  })

  it('keeps each of 10 tickets to one order when 10 buyers race for each at once', async () => {
    const ticketList = await Promise.all(Array.from({ length: 10 }, () => seedTicket(ctx)))
    const people = await buyers(10)

    const responses = await Promise.all(
      ticketList.flatMap((t) => people.map((p) => order(p.headers, t.id))),
    )

    expect(responses.filter((r) => r.status === 201)).toHaveLength(10)
    expect(responses.filter((r) => r.status === 400)).toHaveLength(90)
    const ids = ticketList.map((t) => t.id)
    const active = await ctx.db
      .select({ ticketId: orders.ticketId })
      .from(orders)
      .where(and(inArray(orders.ticketId, ids), eq(orders.status, 'created')))
    expect(active.map((a) => a.ticketId).sort()).toEqual([...ids].sort())
  })

  it('lets the database refuse a second active order even without the route', async () => {
    const ticket = await seedTicket(ctx)
    const row = (userId: string) => ({
      id: crypto.randomUUID(),
      userId,
      ticketId: ticket.id,
      status: 'created' as const,
      expiresAt: ctx.clock(),
      createdAt: ctx.clock(),
    })
    await ctx.db.insert(orders).values(row(crypto.randomUUID()))
    await expect(ctx.db.insert(orders).values(row(crypto.randomUUID()))).rejects.toThrow()
    await ctx.db.insert(orders).values({ ...row(crypto.randomUUID()), status: 'cancelled' })
    const rows = await ctx.db.select().from(orders).where(eq(orders.ticketId, ticket.id))
    expect(rows.map((r) => r.status).sort()).toEqual(['cancelled', 'created'])
    const unknownStatus = { ...row(crypto.randomUUID()), status: 'paid' as 'created' }
    await expect(ctx.db.insert(orders).values(unknownStatus)).rejects.toThrow()
  })
})
