import { inTransaction, once } from '@twtix/common'
import { countTransactions, eventually, gate, startTestConsumer } from '@twtix/common/testing'
import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { processedEvents, tickets } from '../db/schema.ts'
import { onEventUpdated } from '../events/on-event-updated.ts'
import { onTicketUpdated } from '../events/on-ticket-updated.ts'
import {
  blockedOrDone,
  envelope,
  handle,
  seedTicket,
  setupOrders,
  type TicketData,
  ticketRow,
} from '../test-support.ts'

const ctx = await setupOrders()
const { db } = ctx
const updated = onTicketUpdated(ctx.deps)
const group = 'orders'
const DAY = 24 * 60 * 60 * 1000
const inDays = (days: number) => new Date(ctx.clock().getTime() + days * DAY).toISOString()

const recorded = async (eventId: string) =>
  (
    await db
      .select()
      .from(processedEvents)
      .where(and(eq(processedEvents.consumer, group), eq(processedEvents.eventId, eventId)))
  ).length === 1
const nextVersion = (ticket: TicketData, overrides: Partial<TicketData> = {}) =>
  envelope('ticket.updated', {
    ...ticket,
    status: 'reserved',
    orderId: crypto.randomUUID(),
    version: ticket.version + 1,
    ...overrides,
  })
/** A row without what differs between two tickets seeded alike. */
const comparable = async (id: string) => ({ ...(await ticketRow(db, id)), id: undefined })

describe('ticket.updated applied at once', () => {
  it('applies the next version in one statement, as the transaction does', async () => {
    // The event replica knows one event (its times win over the ticket event's copies).
    const known = crypto.randomUUID()
    await handle(db, onEventUpdated(ctx.deps), 'event.updated', {
      id: known,
      name: 'Live',
      venue: 'Budokan',
      city: 'Tokyo',
      status: 'postponed',
      startsAt: inDays(20),
      endsAt: inDays(21),
      version: 1,
    })
    const dated = { eventStartsAt: inDays(10), eventEndsAt: inDays(11) }
    for (const event of [
      {},
      { eventId: known, ...dated },
      { eventId: crypto.randomUUID(), ...dated },
    ]) {
      const listing = { title: 'Budokan, arena seat', userId: crypto.randomUUID(), ...event }
      const [alone, inTx] = [await seedTicket(ctx, listing), await seedTicket(ctx, listing)]
      const orderId = crypto.randomUUID()
      const first = nextVersion(alone, { orderId })
      expect(await updated.atOnce(db, processedEvents, group, first)).toBe('applied')
      await inTransaction(ctx.deps, async (tx) => {
        await once(tx.db, processedEvents, group, crypto.randomUUID())
        await updated(tx, nextVersion(inTx, { orderId }))
      })
      expect(await ticketRow(db, alone.id)).toMatchObject({
        status: 'reserved',
        orderId,
        version: 1,
      })
      expect(await comparable(alone.id)).toEqual(await comparable(inTx.id))
      expect(await recorded(first.id)).toBe(true)
    }
    const ofKnown = await db.select().from(tickets).where(eq(tickets.eventId, known))
    expect(ofKnown.map((t) => t.eventStartsAt?.toISOString())).toEqual([inDays(20), inDays(20)])
  })

  it('leaves a duplicate, a version gap and an unseen ticket to the transaction', async () => {
    const ticket = await seedTicket(ctx)
    await updated.atOnce(db, processedEvents, group, nextVersion(ticket))
    const row = await ticketRow(db, ticket.id)
    for (const event of [
      nextVersion(ticket, { title: 'again' }),
      nextVersion(ticket, { title: 'older', version: 0 }),
      nextVersion(ticket, { title: 'a gap', version: 3 }),
    ]) {
      expect(await updated.atOnce(db, processedEvents, group, event)).toBe('transaction')
      expect(await ticketRow(db, ticket.id)).toEqual(row)
      expect(await recorded(event.id)).toBe(false)
    }
    const unseen = nextVersion({ ...ticket, id: crypto.randomUUID() })
    expect(await updated.atOnce(db, processedEvents, group, unseen)).toBe('transaction')
    expect(await ticketRow(db, unseen.data.id)).toBeUndefined()
    expect(await recorded(unseen.id)).toBe(false)
  })

  it('writes nothing for an event the group recorded since', async () => {
    const ticket = await seedTicket(ctx)
    const event = nextVersion(ticket)
    await once(db, processedEvents, group, event.id)
    expect(await updated.atOnce(db, processedEvents, group, event)).toBe('transaction')
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'available', version: 0 })
  })

  it('is what the consumer runs for a message alone: no transaction, and a redelivery skipped', async () => {
    const consumer = await startTestConsumer({
      db,
      processed: processedEvents,
      group,
      subscriptions: { 'ticket.updated': updated },
    })
    const ticket = await seedTicket(ctx)
    const message = { key: ticket.id, value: JSON.stringify(nextVersion(ticket)) }
    const opened = await countTransactions(db, async () => {
      await consumer.publish('tickets', [message])
      await eventually(async () => (await ticketRow(db, ticket.id))?.version === 1)
    })
    expect(opened).toBe(0)
    await consumer.publish('tickets', [message])
    await eventually(() => consumer.logger.lines.some((l) => l.includes('duplicate event skipped')))
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'reserved', version: 1 })
    await consumer.close()
  })
})

// A change committed while the statement waits on the row needs two connections: PGlite has
// one, so this runs on a server only.
describe.skipIf(!process.env.DATABASE_URL)('ticket.updated at once, racing a change', () => {
  it('writes nothing when the replica moved on while it waited, and the transaction decides', async () => {
    const ticket = await seedTicket(ctx)
    const event = nextVersion(ticket)
    const changed = gate()
    const commit = gate()
    // Another writer holds the ticket's row, moved to version 1 and not yet committed.
    const change = inTransaction(ctx.deps, async (tx) => {
      await tx.db
        .update(tickets)
        .set({ version: sql`${tickets.version} + 1` })
        .where(eq(tickets.id, ticket.id))
      changed.open()
      await commit.opened
    })
    await changed.opened
    const outcome = updated.atOnce(db, processedEvents, group, event)
    expect(await blockedOrDone(db, outcome)).toBe('blocked')
    commit.open()
    await change
    expect(await outcome).toBe('transaction')
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'available', version: 1 })
    expect(await recorded(event.id)).toBe(false)
  })
})
