import { PoisonMessageError } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import {
  applyEvent,
  listedTicket,
  orderCancelled,
  orderCompleted,
  orderCreated,
  outboxOf,
  setupTickets,
  ticketRow,
} from '../test-support.ts'
import { onOrderCancelled } from './on-order-cancelled.ts'
import { onOrderCompleted } from './on-order-completed.ts'
import { onOrderCreated } from './on-order-created.ts'

const { db, deps, logger } = await setupTickets()
const created = onOrderCreated(deps)
const cancelled = onOrderCancelled(deps)
const minute = 60_000
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms)

describe('order.created', () => {
  it('reserves an available ticket: version+1 and ticket.updated', async () => {
    const ticket = await listedTicket(deps)
    const event = orderCreated(ticket.id)
    await applyEvent(db, created, event)
    expect(await ticketRow(db, ticket.id)).toMatchObject({
      status: 'reserved',
      orderId: event.data.id,
      version: 1,
    })
    const [, updated, ...more] = await outboxOf(db, ticket.id)
    expect(more).toHaveLength(0)
    expect(updated).toMatchObject({ type: 'ticket.updated', topic: 'tickets', key: ticket.id })
    expect(updated?.event.data).toMatchObject({
      status: 'reserved',
      orderId: event.data.id,
      version: 1,
    })
    expect(updated?.event.correlationId).toBe(event.id)
  })

  it('skips a second event of the holding order', async () => {
    const ticket = await listedTicket(deps)
    const orderId = crypto.randomUUID()
    await applyEvent(db, created, orderCreated(ticket.id, orderId))
    await applyEvent(db, created, orderCreated(ticket.id, orderId))
    expect((await ticketRow(db, ticket.id))?.version).toBe(1)
    expect(await outboxOf(db, ticket.id)).toHaveLength(2)
  })

  it('does not let an order take a sold ticket', async () => {
    const ticket = await listedTicket(deps)
    const buyer = crypto.randomUUID()
    await applyEvent(db, created, orderCreated(ticket.id, buyer, at(0)))
    await applyEvent(db, onOrderCompleted(deps), orderCompleted(ticket.id, buyer))
    await applyEvent(db, created, orderCreated(ticket.id, crypto.randomUUID(), at(minute)))
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'sold', orderId: buyer })
    expect(logger.lines.some((l) => l.includes('order for a sold ticket skipped'))).toBe(true)
  })

  it('does not let a stale order steal the ticket from a newer one', async () => {
    const ticket = await listedTicket(deps)
    const older = orderCreated(ticket.id, crypto.randomUUID(), at(0))
    const newer = orderCreated(ticket.id, crypto.randomUUID(), at(minute))
    await applyEvent(db, created, newer)
    await applyEvent(db, created, older) // delivered late, from another partition
    expect(await ticketRow(db, ticket.id)).toMatchObject({ orderId: newer.data.id, version: 1 })
    await applyEvent(db, cancelled, orderCancelled(ticket.id, older.data.id))
    expect(await ticketRow(db, ticket.id)).toMatchObject({
      status: 'reserved',
      orderId: newer.data.id,
      version: 1,
    })
  })

  it('lets a newer order supersede an older holder whose cancel is still in flight', async () => {
    const ticket = await listedTicket(deps)
    const older = orderCreated(ticket.id, crypto.randomUUID(), at(0))
    const newer = orderCreated(ticket.id, crypto.randomUUID(), at(minute))
    await applyEvent(db, created, older)
    await applyEvent(db, created, newer)
    await applyEvent(db, cancelled, orderCancelled(ticket.id, older.data.id))
    expect(await ticketRow(db, ticket.id)).toMatchObject({
      status: 'reserved',
      orderId: newer.data.id,
      version: 2,
    })
  })

  it('ignores an old order that arrives after a newer one came and went', async () => {
    const ticket = await listedTicket(deps)
    const older = orderCreated(ticket.id, crypto.randomUUID(), at(0))
    const newer = orderCreated(ticket.id, crypto.randomUUID(), at(minute))
    await applyEvent(db, created, newer)
    await applyEvent(db, cancelled, orderCancelled(ticket.id, newer.data.id))
    await applyEvent(db, created, older)
    expect(await ticketRow(db, ticket.id)).toMatchObject({
      status: 'available',
      orderId: null,
      version: 2,
    })
  })

  it('dead-letters an event for a ticket this service never had', async () => {
    const ticketId = crypto.randomUUID()
    await expect(applyEvent(db, created, orderCreated(ticketId))).rejects.toBeInstanceOf(
      PoisonMessageError,
    )
    expect(await ticketRow(db, ticketId)).toBeUndefined()
  })
})
