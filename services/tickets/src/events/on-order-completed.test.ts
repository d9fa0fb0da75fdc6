import { PoisonMessageError } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import {
  applyEvent,
  listedTicket,
  orderCompleted,
  orderCreated,
  outboxOf,
  setupTickets,
  ticketRow,
} from '../test-support.ts'
import { onOrderCompleted } from './on-order-completed.ts'
import { onOrderCreated } from './on-order-created.ts'

const { db, deps, logger } = await setupTickets()
const created = onOrderCreated(deps)
const completed = onOrderCompleted(deps)

async function reservedTicket() {
  const ticket = await listedTicket(deps)
  const orderId = crypto.randomUUID()
  await applyEvent(db, created, orderCreated(ticket.id, orderId))
  return { ticket, orderId }
}

describe('order.completed', () => {
  it('sells the ticket to the holding order: orderId kept, version+1, ticket.updated', async () => {
    const { ticket, orderId } = await reservedTicket()
    await applyEvent(db, completed, orderCompleted(ticket.id, orderId))
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'sold', orderId, version: 2 })
    const rows = await outboxOf(db, ticket.id)
    expect(rows).toHaveLength(3)
    expect(rows[2]).toMatchObject({ type: 'ticket.updated', key: ticket.id, topic: 'tickets' })
    expect(rows[2]?.event.data).toMatchObject({ status: 'sold', orderId, version: 2 })
  })

  it('skips a repeated completion of the same order', async () => {
    const { ticket, orderId } = await reservedTicket()
    await applyEvent(db, completed, orderCompleted(ticket.id, orderId))
    await applyEvent(db, completed, orderCompleted(ticket.id, orderId))
    expect((await ticketRow(db, ticket.id))?.version).toBe(2)
    expect(await outboxOf(db, ticket.id)).toHaveLength(3)
  })

  it('never resells a ticket sold to another order, and says so', async () => {
    const { ticket, orderId } = await reservedTicket()
    await applyEvent(db, completed, orderCompleted(ticket.id, orderId))
    const intruder = crypto.randomUUID()
    await applyEvent(db, completed, orderCompleted(ticket.id, intruder))
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'sold', orderId, version: 2 })
    const line = logger.lines.find((l) => l.includes(intruder))
    expect(line).toContain('"level":"error"')
  })

  it('sells even when the reservation never showed here: a completed order is final', async () => {
    const ticket = await listedTicket(deps)
    const orderId = crypto.randomUUID()
    await applyEvent(db, completed, orderCompleted(ticket.id, orderId))
    expect(await ticketRow(db, ticket.id)).toMatchObject({ status: 'sold', orderId, version: 1 })
  })

  it('dead-letters a completion for an unknown ticket', async () => {
    const event = orderCompleted(crypto.randomUUID(), crypto.randomUUID())
    await expect(applyEvent(db, completed, event)).rejects.toBeInstanceOf(PoisonMessageError)
  })
})
