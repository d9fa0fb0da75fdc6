import { createEnvelope, PoisonMessageError, parseEnvelope, parseEnvelopeFor } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { copies, groupsOfTopic, outOfOrder, poisonMessage } from './events.ts'

const ticketId = crypto.randomUUID()
const orderId = crypto.randomUUID()
const ticket = (version: number, status: 'available' | 'reserved' | 'sold') => ({
  id: ticketId,
  title: 'Budokan',
  price: 5000,
  userId: crypto.randomUUID(),
  status,
  orderId: status === 'available' ? null : orderId,
  version,
})

let row = 0
function outboxRow(envelope: { id: string; type: string }, topic: string, key: string) {
  return { id: ++row, topic, key, type: envelope.type, payload: JSON.stringify(envelope) }
}

const history = [
  outboxRow(createEnvelope('ticket.created', ticket(0, 'available')), 'tickets', ticketId),
  outboxRow(createEnvelope('ticket.updated', ticket(1, 'reserved')), 'tickets', ticketId),
  outboxRow(createEnvelope('ticket.updated', ticket(2, 'sold')), 'tickets', ticketId),
  outboxRow(
    createEnvelope('payment.succeeded', {
      id: crypto.randomUUID(),
      orderId,
      amount: 5000,
      stripeId: 'pi_1',
    }),
    'payments',
    orderId,
  ),
]

describe('re-delivered events', () => {
  it('copies an event as it was, or under a new id with the same content', () => {
    const [same] = copies(history.slice(0, 1), { freshIds: false })
    const [fresh] = copies(history.slice(0, 1), { freshIds: true })
    const original = parseEnvelope(history[0]?.payload as string)
    expect(parseEnvelope(same?.value as string)).toEqual(original)
    const stranger = parseEnvelope(fresh?.value as string)
    expect(stranger.id).not.toBe(original.id)
    expect(fresh?.eventId).toBe(stranger.id)
    expect({ ...stranger, id: original.id }).toEqual(original)
    expect(fresh).toMatchObject({ topic: 'tickets', key: ticketId, type: 'ticket.created' })
  })

  it('replays versioned events newest first, under new ids and then their own', () => {
    const replay = outOfOrder(history)
    const versions = replay.map((m) => (parseEnvelope(m.value).data as { version: number }).version)
    expect(versions).toEqual([2, 1, 0, 2, 1, 0])
    const ids = history.slice(0, 3).map((r) => JSON.parse(r.payload).id)
    expect(replay.slice(3).map((m) => m.eventId)).toEqual([...ids].reverse())
    for (const m of replay.slice(0, 3)) expect(ids).not.toContain(m.eventId)
    // payment events carry no version: only their duplicates are delivered.
    expect(replay.map((m) => m.type)).not.toContain('payment.succeeded')
  })

  it('builds a poison message that fails its schema, dead-lettered by one group only', () => {
    const poison = poisonMessage(ticketId)
    expect(poison).toMatchObject({ topic: 'tickets', key: ticketId, type: 'ticket.updated' })
    expect(() => parseEnvelope(poison.value)).toThrow(PoisonMessageError)
    // orders handles ticket.updated and refuses it; payments, on the same topic, skips it.
    expect(() => parseEnvelopeFor(poison.value, (s) => s === 'ticket.updated')).toThrow(
      PoisonMessageError,
    )
    expect(parseEnvelopeFor(poison.value, (s) => s === 'ticket.undelivered')).toBeUndefined()
  })

  it('knows which consumer groups read each topic', () => {
    // payments reads the tickets topic for ticket.undelivered (a missed delivery is refunded).
    expect(groupsOfTopic.get('tickets')).toEqual(['orders', 'payments'])
    expect(groupsOfTopic.get('orders')).toEqual(['expiration', 'payments', 'tickets'])
    expect(groupsOfTopic.get('payments')).toEqual(['orders'])
    expect(groupsOfTopic.get('expiration')).toEqual(['orders'])
  })
})
