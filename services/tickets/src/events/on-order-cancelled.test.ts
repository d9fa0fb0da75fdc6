import { inTransaction, PoisonMessageError } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { sellTicket } from '../commands/sell-ticket.ts'
import {
  applyEvent,
  listedTicket,
  orderCancelled,
  orderCreated,
  outboxOf,
  setupTickets,
  ticketRow,
} from '../test-support.ts'
import { onOrderCancelled } from './on-order-cancelled.ts'
import { onOrderCreated } from './on-order-created.ts'

const { db, deps } = await setupTickets()
const created = onOrderCreated(deps)
const cancelled = onOrderCancelled(deps)

async function reservedTicket() {
  const ticket = await listedTicket(deps)
  const orderId = crypto.randomUUID()
  await applyEvent(db, created, orderCreated(ticket.id, orderId))
  return { ticket, orderId }
}

describe('order.cancelled', () => {
  it('releases the ticket held by that order: version+1 and ticket.updated', async () => {
    const { ticket, orderId } = await reservedTicket()
    await applyEvent(db, cancelled, orderCancelled(ticket.id, orderId))
    expect(await ticketRow(db, ticket.id)).toMatchObject({
      status: 'available',
      orderId: null,
      version: 2,
    })
    const rows = await outboxOf(db, ticket.id)
    expect(rows.map((r) => r.type)).toEqual(['ticket.created', 'ticket.updated', 'ticket.updated'])
    expect(rows[2]).toMatchObject({ key: ticket.id, topic: 'tickets' })
    expect(rows[2]?.event.data).toMatchObject({ status: 'available', orderId: null, version: 2 })
  })

  it('leaves the ticket reserved when another order is cancelled (a stale cancel)', async () => {
    const { ticket, orderId } = await reservedTicket()
    await applyEvent(db, cancelled, orderCancelled(ticket.id, crypto.randomUUID()))
    expect(await ticketRow(db, ticket.id)).toMatchObject({
      status: 'reserved',
      orderId,
      version: 1,
    })
    expect(await outboxOf(db, ticket.id)).toHaveLength(2)
  })

  it('skips a second cancel of the same order', async () => {
    const { ticket, orderId } = await reservedTicket()
    await applyEvent(db, cancelled, orderCancelled(ticket.id, orderId))
    await applyEvent(db, cancelled, orderCancelled(ticket.id, orderId))
    expect((await ticketRow(db, ticket.id))?.version).toBe(2)
    expect(await outboxOf(db, ticket.id)).toHaveLength(3)
  })

  it('does not unsell a sold ticket', async () => {
    const { ticket, orderId } = await reservedTicket()
    await inTransaction(deps, (tx) => sellTicket(deps, tx, { ticketId: ticket.id, orderId }))
    await applyEvent(db, cancelled, orderCancelled(ticket.id, orderId))
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'sold', orderId, version: 2 })
  })

  it('dead-letters a cancel for an unknown ticket', async () => {
    const event = orderCancelled(crypto.randomUUID(), crypto.randomUUID())
    await expect(applyEvent(db, cancelled, event)).rejects.toBeInstanceOf(PoisonMessageError)
  })
})
