import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { EVENT_CANCELLED } from '../commands/create-order.ts'
import { events, orders, tickets } from '../db/schema.ts'
import {
  handle,
  json,
  orderRow,
  outboxEvents,
  seedOrder,
  seedTicket,
  setupOrders,
  type TestContext,
} from '../test-support.ts'
import { onEventUpdated } from './on-event-updated.ts'
import { onTicketUpdated } from './on-ticket-updated.ts'

const ctx: TestContext = await setupOrders()
const DAY = 24 * 60 * 60 * 1000

function eventState(
  id: string,
  version: number,
  status: 'scheduled' | 'postponed' | 'cancelled',
  startsAt = new Date(ctx.clock().getTime() + 10 * DAY),
  endsAt: Date | null = null,
) {
  return {
    id,
    name: 'Live',
    venue: 'Budokan',
    city: 'Tokyo',
    status,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt?.toISOString() ?? null,
    version,
  }
}

const updated = (data: ReturnType<typeof eventState>) =>
  handle(ctx.db, onEventUpdated(ctx.deps), 'event.updated', data)

async function eventOrder(eventId: string) {
  const startsAt = new Date(ctx.clock().getTime() + 10 * DAY).toISOString()
  return seedOrder(ctx, { eventId, faceValue: 2500, eventStartsAt: startsAt })
}

describe('event.updated', () => {
  it('cancels every open order of a cancelled event once, leaves paid and other events’ orders', async () => {
    const eventId = crypto.randomUUID()
    const first = await eventOrder(eventId)
    const second = await eventOrder(eventId)
    const other = await eventOrder(crypto.randomUUID())
    const paid = await eventOrder(eventId)
    await ctx.db.update(orders).set({ status: 'complete' }).where(eq(orders.id, paid.order.id))

    await updated(eventState(eventId, 1, 'cancelled'))
    for (const { order } of [first, second]) {
      expect((await orderRow(ctx.db, order.id))?.status).toBe('cancelled')
      const types = (await outboxEvents(ctx.db, order.id)).map((e) => e.event.type)
      expect(types).toEqual(['order.created', 'order.cancelled'])
    }
    expect((await orderRow(ctx.db, other.order.id))?.status).toBe('created')
    expect((await orderRow(ctx.db, paid.order.id))?.status).toBe('complete')

    // The same version again (a redelivery), and an older one arriving late: nothing more.
    await updated(eventState(eventId, 1, 'cancelled'))
    await updated(eventState(eventId, 0, 'scheduled'))
    for (const { order } of [first, second]) {
      expect(await outboxEvents(ctx.db, order.id)).toHaveLength(2)
    }
    const [replica] = await ctx.db.select().from(events).where(eq(events.id, eventId))
    expect(replica).toMatchObject({ status: 'cancelled', version: 1 })
  })

  it('refuses new orders for a cancelled event’s tickets with 400, placing nothing', async () => {
    const eventId = crypto.randomUUID()
    const ticket = await seedTicket(ctx, {
      eventId,
      faceValue: 2500,
      eventStartsAt: new Date(ctx.clock().getTime() + DAY).toISOString(),
    })
    await updated(eventState(eventId, 1, 'cancelled'))
    const buyer = await ctx.auth.user()
    const res = await ctx.app.request('/api/orders', json(buyer.headers, { ticketId: ticket.id }))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: EVENT_CANCELLED }] })
  })

  it('applies a postponement after a cancellation that overtook it as a duplicate', async () => {
    const eventId = crypto.randomUUID()
    const { order } = await eventOrder(eventId)
    await updated(eventState(eventId, 2, 'cancelled'))
    await updated(eventState(eventId, 1, 'postponed', new Date(ctx.clock().getTime() + 20 * DAY)))
    const [replica] = await ctx.db.select().from(events).where(eq(events.id, eventId))
    expect(replica).toMatchObject({ status: 'cancelled', version: 2 })
    expect(await outboxEvents(ctx.db, order.id)).toHaveLength(2)
  })

  it('moves the event’s tickets to the new times, and a stale ticket event does not move them back', async () => {
    const eventId = crypto.randomUUID()
    const oldStart = new Date(ctx.clock().getTime() + 10 * DAY)
    const ticket = await seedTicket(ctx, {
      eventId,
      faceValue: 2500,
      eventStartsAt: oldStart.toISOString(),
    })
    const startsAt = new Date(ctx.clock().getTime() + 30 * DAY)
    const endsAt = new Date(startsAt.getTime() + 3 * 60 * 60 * 1000)
    await updated(eventState(eventId, 1, 'postponed', startsAt, endsAt))
    const [moved] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id))
    expect(moved).toMatchObject({ eventStartsAt: startsAt, eventEndsAt: endsAt })

    // A ticket.updated written before the postponement, carrying the old start.
    await handle(ctx.db, onTicketUpdated(ctx.deps), 'ticket.updated', {
      ...ticket,
      price: 2400,
      version: 1,
      eventStartsAt: oldStart.toISOString(),
      eventEndsAt: null,
    })
    const [after] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id))
    expect(after).toMatchObject({ price: 2400, eventStartsAt: startsAt, eventEndsAt: endsAt })
  })
})
