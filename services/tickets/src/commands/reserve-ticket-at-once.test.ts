import { inTransaction, once, rowsOf } from '@twtix/common'
import { countTransactions, eventually, gate, startTestConsumer } from '@twtix/common/testing'
import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { processedEvents, ticketOrders, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { onOrderCompleted } from '../events/on-order-completed.ts'
import { onOrderCreated } from '../events/on-order-created.ts'
import {
  applyEvent,
  eventTicket,
  listedTicket,
  newEvent,
  orderCompleted,
  orderCreated,
  outboxOf,
  setupTickets,
  ticketRow,
} from '../test-support.ts'

const { db, deps: base } = await setupTickets()
let woken = 0
const deps: Deps = { ...base, relay: { wake: () => woken++ } }
const created = onOrderCreated(deps)
const group = 'tickets'
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms)

const recorded = async (eventId: string) =>
  (
    await db
      .select()
      .from(processedEvents)
      .where(and(eq(processedEvents.consumer, group), eq(processedEvents.eventId, eventId)))
  ).length === 1
const noted = async (orderId: string) =>
  (await db.select().from(ticketOrders).where(eq(ticketOrders.orderId, orderId)))[0]
// What a ticket's outbox says, without what differs between two tickets and two events.
const announced = async (ticketId: string) =>
  (await outboxOf(db, ticketId)).map(({ type, topic, event }) => ({
    type,
    topic,
    data: { ...event.data, id: undefined, orderId: undefined, userId: undefined },
  }))

describe('order.created applied at once', () => {
  it('reserves the ticket in one statement with what the transaction writes', async () => {
    // Of one event, so each ticket.updated carries its dates.
    const { id: eventId } = await newEvent(deps)
    const [alone, inTx] = [await eventTicket(deps, eventId), await eventTicket(deps, eventId)]
    const [first, second] = [orderCreated(alone.id), orderCreated(inTx.id)]
    const before = woken
    expect(await created.atOnce(db, processedEvents, group, first)).toBe('applied')
    expect(woken).toBe(before + 1)
    await inTransaction(deps, async (tx) => {
      await once(tx.db, processedEvents, group, second.id)
      await created(tx, second)
    })
    for (const [ticket, event] of [
      [alone, first],
      [inTx, second],
    ] as const) {
      expect(await ticketRow(db, ticket.id)).toMatchObject({
        status: 'reserved',
        orderId: event.data.id,
        version: 1,
        lastOrderAt: new Date(event.occurredAt),
      })
      expect(await noted(event.data.id)).toMatchObject({
        ticketId: ticket.id,
        buyerId: event.data.userId,
        status: 'created',
      })
      expect(await recorded(event.id)).toBe(true)
    }
    expect(await announced(alone.id)).toEqual(await announced(inTx.id))
    const [, updated] = await outboxOf(db, alone.id)
    expect(updated?.event.data).toMatchObject({ status: 'reserved', orderId: first.data.id })
    expect(updated?.event.data.eventStartsAt).toEqual(expect.any(String))
    expect(updated?.event.correlationId).toBe(first.id)
  })

  it('leaves a duplicate, a sold ticket, a stale order and an unknown ticket to the transaction', async () => {
    const held = await listedTicket(deps)
    const holder = orderCreated(held.id, crypto.randomUUID(), at(60_000))
    await applyEvent(db, created, holder)
    const sold = await listedTicket(deps)
    const buyer = crypto.randomUUID()
    await applyEvent(db, created, orderCreated(sold.id, buyer))
    await applyEvent(db, onOrderCompleted(deps), orderCompleted(sold.id, buyer))
    const cases = [
      { ticketId: held.id, event: orderCreated(held.id, holder.data.id, at(60_000)) },
      { ticketId: sold.id, event: orderCreated(sold.id) },
      { ticketId: held.id, event: orderCreated(held.id, crypto.randomUUID(), at(0)) },
      { ticketId: crypto.randomUUID(), event: undefined },
    ]
    for (const c of cases) {
      const event = c.event ?? orderCreated(c.ticketId)
      const [row, events] = [await ticketRow(db, c.ticketId), await outboxOf(db, c.ticketId)]
      expect(await created.atOnce(db, processedEvents, group, event)).toBe('transaction')
      expect(await ticketRow(db, c.ticketId)).toEqual(row)
      expect(await outboxOf(db, c.ticketId)).toEqual(events)
      expect(await recorded(event.id)).toBe(false)
    }
  })

  it('writes nothing for an event the group recorded since', async () => {
    const ticket = await listedTicket(deps)
    const event = orderCreated(ticket.id)
    await once(db, processedEvents, group, event.id)
    expect(await created.atOnce(db, processedEvents, group, event)).toBe('transaction')
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'available', version: 0 })
    expect(await noted(event.data.id)).toBeUndefined()
  })

  it('is what the consumer runs for a message alone: no transaction, and a redelivery skipped', async () => {
    const consumer = await startTestConsumer({
      db,
      processed: processedEvents,
      group,
      subscriptions: { 'order.created': created },
    })
    const ticket = await listedTicket(deps)
    const event = orderCreated(ticket.id)
    const message = { key: ticket.id, value: JSON.stringify(event) }
    const opened = await countTransactions(db, async () => {
      await consumer.publish('orders', [message])
      await eventually(async () => (await ticketRow(db, ticket.id))?.status === 'reserved')
    })
    expect(opened).toBe(0)
    await consumer.publish('orders', [message])
    await eventually(() => consumer.logger.lines.some((l) => l.includes('duplicate event skipped')))
    expect((await ticketRow(db, ticket.id))?.version).toBe(1)
    expect(await outboxOf(db, ticket.id)).toHaveLength(2)
    await consumer.close()
  })
})

// A change committed between the read and the statement needs two connections: PGlite has one,
// so this runs on a server only.
describe.skipIf(!process.env.DATABASE_URL)('order.created at once, racing a change', () => {
  it('writes nothing when the ticket changed after its read, and the transaction decides', async () => {
    const ticket = await listedTicket(deps)
    const event = orderCreated(ticket.id)
    const changed = gate()
    const commit = gate()
    // Another writer holds the ticket's row, changed and not yet committed.
    const change = inTransaction(deps, async (tx) => {
      await tx.db
        .update(tickets)
        .set({ version: sql`${tickets.version} + 1` })
        .where(eq(tickets.id, ticket.id))
      changed.open()
      await commit.opened
    })
    await changed.opened
    const outcome = created.atOnce(db, processedEvents, group, event)
    // The statement read version 0 and now waits on the row.
    await eventually(
      async () =>
        rowsOf(
          await db.execute(
            sql`select 1 from pg_stat_activity
              where wait_event_type = 'Lock' and datname = current_database()`,
          ),
        ).length > 0,
    )
    commit.open()
    await change
    expect(await outcome).toBe('transaction')
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'available', version: 1 })
    expect(await recorded(event.id)).toBe(false)
    expect(await noted(event.data.id)).toBeUndefined()
    await applyEvent(db, created, event)
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'reserved', version: 2 })
  })
})
