import { inTransaction } from '@twtix/common'
import { gate } from '@twtix/common/testing'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { orders } from '../db/schema.ts'
import { onEventUpdated } from '../events/on-event-updated.ts'
import { orderingContext } from '../queries/ordering-context.ts'
import { blockedOrDone, envelope, handle, seedTicket, setupOrders } from '../test-support.ts'
import { createOrder, EVENT_CANCELLED } from './create-order.ts'

// Two transactions interleaved need two connections: PGlite has one, so this runs on a server only.
describe.skipIf(!process.env.DATABASE_URL)('an order racing its event cancellation', () => {
  const ready = setupOrders()
  const DAY = 24 * 60 * 60 * 1000

  const state = (id: string, version: number, status: 'scheduled' | 'cancelled', at: Date) => ({
    id,
    name: 'Live',
    venue: 'Budokan',
    city: 'Tokyo',
    status,
    startsAt: new Date(at.getTime() + 10 * DAY).toISOString(),
    endsAt: null,
    version,
  })

  /** A scheduled event, a ticket of it, a buyer's read of it made before the cancellation. */
  async function scene() {
    const ctx = await ready
    const eventId = crypto.randomUUID()
    await handle(
      ctx.db,
      onEventUpdated(ctx.deps),
      'event.updated',
      state(eventId, 1, 'scheduled', ctx.clock()),
    )
    const ticket = await seedTicket(ctx, { eventId })
    const buyer = await ctx.auth.user()
    const input = { userId: buyer.user.id, ticketId: ticket.id }
    const now = ctx.clock()
    const read = { context: await orderingContext(ctx.db, ctx.deps, input, now), now }
    expect(read.context?.eventCancelled).toBe(false)
    const cancel = envelope('event.updated', state(eventId, 2, 'cancelled', ctx.clock()))
    const openOrders = () =>
      ctx.db
        .select()
        .from(orders)
        .where(and(eq(orders.ticketId, ticket.id), eq(orders.status, 'created')))
    return { ctx, input, read, cancel, openOrders }
  }

  it('refuses an order whose insert waits on a cascade that commits first', async () => {
    const { ctx, input, read, cancel, openOrders } = await scene()
    const commit = gate()
    const held = gate()
    const cascade = inTransaction(ctx.deps, async (tx) => {
      await onEventUpdated(ctx.deps)(tx, cancel)
      held.open()
      await commit.opened
    })
    // The cascade holds the event row (and found no open order) before the order's statement runs.
    await held.opened
    const ordering = inTransaction(ctx.deps, (tx) => createOrder(ctx.deps, tx, input, read))
    expect(await blockedOrDone(ctx.db, ordering)).toBe('blocked')
    commit.open()
    await cascade
    await expect(ordering).rejects.toThrow(EVENT_CANCELLED)
    expect(await openOrders()).toEqual([])
  })

  it('cancels an order committed while the cascade waits on it', async () => {
    const { ctx, input, read, cancel, openOrders } = await scene()
    const commit = gate()
    const placed = gate()
    const ordering = inTransaction(ctx.deps, async (tx) => {
      const order = await createOrder(ctx.deps, tx, input, read)
      placed.open()
      await commit.opened
      return order
    })
    await placed.opened
    const cascade = handle(ctx.db, onEventUpdated(ctx.deps), 'event.updated', cancel.data)
    expect(await blockedOrDone(ctx.db, cascade)).toBe('blocked')
    commit.open()
    const order = await ordering
    await cascade
    expect(await openOrders()).toEqual([])
    const [row] = await ctx.db.select().from(orders).where(eq(orders.id, order.id))
    expect(row?.status).toBe('cancelled')
  })
})
