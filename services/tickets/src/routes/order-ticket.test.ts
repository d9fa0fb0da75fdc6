import { createEnvelope } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { deliveryDeadlines, ticketOrders, tickets } from '../db/schema.ts'
import { ORDER_REFUNDED } from '../delivery/get-order-ticket.ts'
import { onClaimResolved } from '../events/on-claim-resolved.ts'
import { onOrderCancelled } from '../events/on-order-cancelled.ts'
import { onOrderCompleted } from '../events/on-order-completed.ts'
import { onOrderCreated } from '../events/on-order-created.ts'
import {
  applyEvent,
  jsonRequest,
  listedTicket,
  orderCancelled,
  orderCompleted,
  orderCreated,
  setupTickets,
} from '../test-support.ts'

const { app, auth, db, deps } = await setupTickets()

/** A seller's ticket and a buyer's order of it (created, not paid). */
async function ordered() {
  const seller = await auth.user()
  const buyer = await auth.user()
  const ticket = await listedTicket(deps, seller.user.id)
  const orderId = crypto.randomUUID()
  await applyEvent(
    db,
    onOrderCreated(deps),
    orderCreated(ticket.id, orderId, new Date(), buyer.user.id),
  )
  return { seller, buyer, ticket, orderId }
}

const pay = (ticketId: string, orderId: string) =>
  applyEvent(db, onOrderCompleted(deps), orderCompleted(ticketId, orderId))

function putDelivery(ticketId: string, init: RequestInit) {
  return app.request(`/api/tickets/${ticketId}/delivery`, { method: 'PUT', ...init })
}

const fetchTicket = (orderId: string, headers?: Record<string, string>) =>
  app.request(`/api/orders/${orderId}/ticket`, { headers })

describe('GET /api/orders/:id/ticket', () => {
  it('gives the paid buyer the code, and nobody else anything', async () => {
    const { seller, buyer, ticket, orderId } = await ordered()
    await putDelivery(ticket.id, jsonRequest('PUT', { code: 'GATE-7731' }, seller.headers))
    // Not paid yet: the buyer gets what a stranger gets.
    const early = await fetchTicket(orderId, buyer.headers)
    expect(early.status).toBe(404)
    expect(await early.text()).not.toContain('GATE-7731')
    await pay(ticket.id, orderId)
    const res = await fetchTicket(orderId, buyer.headers)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual({ kind: 'code', value: 'GATE-7731' })
    for (const headers of [seller.headers, (await auth.user()).headers]) {
      const other = await fetchTicket(orderId, headers)
      expect(other.status).toBe(404)
      expect(await other.json()).toEqual({ errors: [{ message: 'Order not found' }] })
    }
    expect((await fetchTicket(orderId)).status).toBe(401)
    expect((await fetchTicket(crypto.randomUUID(), buyer.headers)).status).toBe(404)
    expect((await fetchTicket('not-a-uuid', buyer.headers)).status).toBe(400)
  })

  it('gives a URL as JSON', async () => {
    const { seller, buyer, ticket, orderId } = await ordered()
    await pay(ticket.id, orderId)
    const url = 'https://tickets.example.jp/t/abc'
    await putDelivery(ticket.id, jsonRequest('PUT', { url }, seller.headers))
    expect(await (await fetchTicket(orderId, buyer.headers)).json()).toEqual({
      kind: 'url',
      value: url,
    })
  })

  it('gives a file back byte for byte, as an attachment of its type', async () => {
    const { seller, buyer, ticket, orderId } = await ordered()
    const bytes = new Uint8Array(300_000)
    bytes.set(new TextEncoder().encode('%PDF-1.7\n'))
    for (let i = 9; i < bytes.length; i++) bytes[i] = (i * 7) % 256
    const put = await putDelivery(ticket.id, {
      headers: { 'Content-Type': 'application/pdf', ...seller.headers },
      body: bytes,
    })
    expect(put.status).toBe(200)
    await pay(ticket.id, orderId)
    const res = await fetchTicket(orderId, buyer.headers)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="ticket-${ticket.id}.pdf"`,
    )
    const got = new Uint8Array(await res.arrayBuffer())
    expect(got.byteLength).toBe(bytes.byteLength)
    expect(got.every((b, i) => b === bytes[i])).toBe(true)
  })

  it('says 409 when paid but the seller has not added it yet', async () => {
    const { buyer, ticket, orderId } = await ordered()
    await pay(ticket.id, orderId)
    const res = await fetchTicket(orderId, buyer.headers)
    expect(res.status).toBe(409)
    expect(await res.json()).toEqual({
      errors: [{ message: 'The seller has not added the delivery yet' }],
    })
  })

  it('gives nothing after the order is cancelled', async () => {
    const { seller, buyer, ticket, orderId } = await ordered()
    await putDelivery(ticket.id, jsonRequest('PUT', { code: 'GONE' }, seller.headers))
    await applyEvent(db, onOrderCancelled(deps), orderCancelled(ticket.id, orderId))
    await pay(ticket.id, orderId) // a late completion cannot bring access back
    expect((await fetchTicket(orderId, buyer.headers)).status).toBe(404)
    const paidThenCancelled = await ordered()
    await putDelivery(
      paidThenCancelled.ticket.id,
      jsonRequest('PUT', { code: 'GONE' }, paidThenCancelled.seller.headers),
    )
    await pay(paidThenCancelled.ticket.id, paidThenCancelled.orderId)
    const { orderId: id, buyer: b } = paidThenCancelled
    expect((await fetchTicket(id, b.headers)).status).toBe(200)
    await applyEvent(db, onOrderCancelled(deps), orderCancelled(paidThenCancelled.ticket.id, id))
    expect((await fetchTicket(id, b.headers)).status).toBe(404)
  })

  it('applies repeated order events once', async () => {
    const { buyer, ticket, orderId } = await ordered()
    const created = orderCreated(ticket.id, orderId, new Date(), crypto.randomUUID())
    await applyEvent(db, onOrderCreated(deps), created) // another buyer in a replayed event
    await pay(ticket.id, orderId)
    await pay(ticket.id, orderId)
    const rows = await db.select().from(ticketOrders).where(eq(ticketOrders.orderId, orderId))
    expect(rows).toEqual([expect.objectContaining({ buyerId: buyer.user.id, status: 'paid' })])
  })

  it('ends access with 410 once a claim is resolved with a refund; a release changes nothing', async () => {
    const claimResolved = (orderId: string, ticketId: string, outcome: 'refund' | 'release') =>
      createEnvelope('claim.resolved', {
        id: crypto.randomUUID(),
        orderId,
        outcome,
        ticket: { id: ticketId },
      })
    const { seller, buyer, ticket, orderId } = await ordered()
    await putDelivery(ticket.id, jsonRequest('PUT', { code: 'REFUND-ME' }, seller.headers))
    await pay(ticket.id, orderId)
    await applyEvent(db, onClaimResolved(deps), claimResolved(orderId, ticket.id, 'release'))
    expect((await fetchTicket(orderId, buyer.headers)).status).toBe(200)

    await applyEvent(db, onClaimResolved(deps), claimResolved(orderId, ticket.id, 'refund'))
    const res = await fetchTicket(orderId, buyer.headers)
    expect(res.status).toBe(410)
    const body = await res.text()
    expect(body).not.toContain('REFUND-ME')
    expect(JSON.parse(body)).toEqual({ errors: [{ message: ORDER_REFUNDED }] })
    // Anyone else still learns nothing; a late completion does not bring access back.
    expect((await fetchTicket(orderId, seller.headers)).status).toBe(404)
    await pay(ticket.id, orderId)
    expect((await fetchTicket(orderId, buyer.headers)).status).toBe(410)
    // The ticket is not put back on sale, and no deadline is left for the order.
    const [row] = await db.select().from(tickets).where(eq(tickets.id, ticket.id))
    expect(row?.status).toBe('sold')
    expect(
      await db.select().from(deliveryDeadlines).where(eq(deliveryDeadlines.orderId, orderId)),
    ).toEqual([])
  })
})
