import { asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { deliveryDeadlines, outbox, ticketOrders } from '../db/schema.ts'
import { onOrderCompleted } from '../events/on-order-completed.ts'
import { onOrderCreated } from '../events/on-order-created.ts'
import {
  applyEvent,
  eventTicket,
  jsonRequest,
  listedTicket,
  newEvent,
  orderCompleted,
  orderCreated,
  setupTickets,
} from '../test-support.ts'
import { sweepDeliveryDeadlines } from './sweep-deadlines.ts'

const { app, auth, db, deps, clock } = await setupTickets()
const HOUR = 60 * 60 * 1000

/** A paid ticket of an event starting `hours` from now, its seller and its order. */
async function paidTicket(hours: number) {
  const seller = await auth.user()
  const buyer = await auth.user()
  const event = await newEvent(deps, { startsAt: new Date(clock().getTime() + hours * HOUR) })
  const ticket = await eventTicket(deps, event.id, { userId: seller.user.id })
  const orderId = crypto.randomUUID()
  await applyEvent(
    db,
    onOrderCreated(deps),
    orderCreated(ticket.id, orderId, new Date(), buyer.user.id),
  )
  await applyEvent(db, onOrderCompleted(deps), orderCompleted(ticket.id, orderId))
  return { seller, buyer, event, ticket, orderId }
}

const deadlineOf = async (orderId: string) =>
  (await db.select().from(deliveryDeadlines).where(eq(deliveryDeadlines.orderId, orderId)))[0]

const undelivered = async (orderId: string) =>
  (await db.select().from(outbox).where(eq(outbox.key, orderId)).orderBy(asc(outbox.id))).map(
    (r) => ({ topic: r.topic, event: JSON.parse(r.payload) }),
  )

describe('the delivery deadline', () => {
  it('is due DELIVERY_DEADLINE_HOURS before the event, and announced once when missed', async () => {
    const { event, ticket, orderId, buyer } = await paidTicket(72)
    const due = new Date(new Date(event.startsAt).getTime() - 24 * HOUR)
    expect(await deadlineOf(orderId)).toMatchObject({ ticketId: ticket.id, dueAt: due })
    await sweepDeliveryDeadlines(deps)
    expect(await undelivered(orderId)).toHaveLength(0)
    clock.set(due)
    await sweepDeliveryDeadlines(deps)
    await sweepDeliveryDeadlines(deps)
    const events = await undelivered(orderId)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      topic: 'tickets',
      event: { type: 'ticket.undelivered', data: { id: ticket.id, orderId } },
    })
    expect(await deadlineOf(orderId)).toBeUndefined()
    const [sale] = await db.select().from(ticketOrders).where(eq(ticketOrders.orderId, orderId))
    expect(sale?.status).toBe('refunded')
    // Refunded: no access, and a late delivery changes nothing for this order.
    const res = await app.request(`/api/orders/${orderId}/ticket`, { headers: buyer.headers })
    expect(res.status).toBe(410)
  })

  it('is due at once when the ticket is paid after the deadline', async () => {
    const { orderId } = await paidTicket(2)
    expect((await deadlineOf(orderId))?.dueAt).toEqual(clock())
    await sweepDeliveryDeadlines(deps)
    expect(await undelivered(orderId)).toHaveLength(1)
  })

  it('is met by adding the delivery first: no event then', async () => {
    const { seller, ticket, orderId, buyer } = await paidTicket(48)
    const put = await app.request(
      `/api/tickets/${ticket.id}/delivery`,
      jsonRequest('PUT', { code: 'IN TIME' }, seller.headers),
    )
    expect(put.status).toBe(200)
    clock.advance(47 * HOUR)
    await sweepDeliveryDeadlines(deps)
    expect(await undelivered(orderId)).toHaveLength(0)
    const res = await app.request(`/api/orders/${orderId}/ticket`, { headers: buyer.headers })
    expect(await res.json()).toEqual({ kind: 'code', value: 'IN TIME' })
  })

  it('is not set for a ticket already delivered, nor for one without an event', async () => {
    const seller = await auth.user()
    const plain = await listedTicket(deps, seller.user.id)
    const orderId = crypto.randomUUID()
    await applyEvent(db, onOrderCreated(deps), orderCreated(plain.id, orderId))
    await applyEvent(db, onOrderCompleted(deps), orderCompleted(plain.id, orderId))
    expect(await deadlineOf(orderId)).toBeUndefined()

    const event = await newEvent(deps, { startsAt: new Date(clock().getTime() + 48 * HOUR) })
    const ready = await eventTicket(deps, event.id, { userId: seller.user.id })
    await app.request(
      `/api/tickets/${ready.id}/delivery`,
      jsonRequest('PUT', { code: 'EARLY' }, seller.headers),
    )
    const second = crypto.randomUUID()
    await applyEvent(db, onOrderCreated(deps), orderCreated(ready.id, second))
    await applyEvent(db, onOrderCompleted(deps), orderCompleted(ready.id, second))
    expect(await deadlineOf(second)).toBeUndefined()
  })

  it('moves with a postponed event: not swept at the old date, swept at the new one', async () => {
    const { event, orderId } = await paidTicket(72)
    const other = await paidTicket(72)
    const { headers } = await auth.admin()
    const oldDue = new Date(new Date(event.startsAt).getTime() - 24 * HOUR)
    const startsAt = new Date(new Date(event.startsAt).getTime() + 48 * HOUR)
    const res = await app.request(
      `/api/events/${event.id}/postpone`,
      jsonRequest('POST', { startsAt: startsAt.toISOString() }, headers),
    )
    expect(res.status).toBe(200)
    const newDue = new Date(startsAt.getTime() - 24 * HOUR)
    expect((await deadlineOf(orderId))?.dueAt).toEqual(newDue)
    // Another event's deadline stays where it was.
    expect((await deadlineOf(other.orderId))?.dueAt).toEqual(oldDue)
    clock.set(oldDue)
    await sweepDeliveryDeadlines(deps)
    expect(await undelivered(orderId)).toHaveLength(0)
    expect(await undelivered(other.orderId)).toHaveLength(1)
    clock.set(newDue)
    await sweepDeliveryDeadlines(deps)
    expect(await undelivered(orderId)).toHaveLength(1)
  })

  it('is announced once by two sweeps running at the same time', async () => {
    const orders = await Promise.all([paidTicket(1), paidTicket(1), paidTicket(1)])
    const counts = await Promise.all([sweepDeliveryDeadlines(deps), sweepDeliveryDeadlines(deps)])
    expect(counts[0] + counts[1]).toBeGreaterThanOrEqual(3)
    for (const { orderId } of orders) expect(await undelivered(orderId)).toHaveLength(1)
  })
})
