import { describe, expect, it } from 'vitest'
import { baseTopicOf, keyOf, subjects } from './catalogue.ts'
import { createEnvelope, PoisonMessageError, parseEnvelope } from './envelope.ts'

const orderId = crypto.randomUUID()
const ticketId = crypto.randomUUID()

describe('event catalogue', () => {
  it('has one topic per aggregate for every subject DESIGN.md names', () => {
    expect(subjects.sort()).toEqual(
      [
        'ticket.created',
        'ticket.updated',
        'ticket.undelivered',
        'event.created',
        'event.updated',
        'order.created',
        'order.cancelled',
        'order.completed',
        'expiration.completed',
        'payment.succeeded',
        'payment.failed',
        'payment.refunded',
        'claim.opened',
        'claim.resolved',
        'session.revoked',
      ].sort(),
    )
    expect(subjects.map(baseTopicOf).sort()).toEqual(
      [
        'tickets',
        'tickets',
        'tickets',
        'events',
        'events',
        'orders',
        'orders',
        'orders',
        'orders',
        'orders',
        'expiration',
        'payments',
        'payments',
        'payments',
        'sessions',
      ].sort(),
    )
  })

  it('keys ticket and order events by the ticket, the others by the order', () => {
    expect(keyOf('order.cancelled', { id: orderId, version: 1, ticket: { id: ticketId } })).toBe(
      ticketId,
    )
    expect(keyOf('expiration.completed', { orderId })).toBe(orderId)
    expect(keyOf('payment.failed', { id: crypto.randomUUID(), orderId, reason: 'declined' })).toBe(
      orderId,
    )
    const sessionId = crypto.randomUUID()
    const revoked = { id: sessionId, userId: orderId, expiresAt: new Date().toISOString() }
    expect(keyOf('session.revoked', revoked)).toBe(sessionId)
    expect(createEnvelope('session.revoked', revoked).source).toBe('auth')
    const claim = { id: sessionId, orderId, ticket: { id: ticketId } }
    expect(keyOf('claim.opened', { ...claim, userId: orderId, reason: 'invalid' })).toBe(ticketId)
    expect(keyOf('ticket.undelivered', { id: ticketId, orderId })).toBe(orderId)
    const eventId = crypto.randomUUID()
    const event = {
      id: eventId,
      name: 'n',
      venue: 'v',
      city: 'c',
      status: 'cancelled' as const,
      startsAt: new Date().toISOString(),
      endsAt: null,
      version: 1,
    }
    expect(keyOf('event.updated', event)).toBe(eventId)
    expect(createEnvelope('event.updated', event).source).toBe('tickets')
    expect(createEnvelope('claim.resolved', { ...claim, outcome: 'refund' }).source).toBe('orders')
  })
})

describe('envelopes', () => {
  it('round-trips through JSON', () => {
    const event = createEnvelope('expiration.completed', { orderId }, { correlationId: 'c1' })
    const parsed = parseEnvelope(JSON.stringify(event))
    expect(parsed).toEqual(event)
    expect(parsed.type).toBe('expiration.completed')
  })

  it('refuses to create an event whose data breaks its schema', () => {
    expect(() => createEnvelope('expiration.completed', { orderId: 'x' })).toThrow()
  })

  it('treats non-JSON, unknown types and bad data as poison', () => {
    const good = createEnvelope('expiration.completed', { orderId })
    expect(() => parseEnvelope('{')).toThrow(PoisonMessageError)
    expect(() => parseEnvelope(JSON.stringify({ ...good, type: 'ticket.exploded' }))).toThrow(
      'unknown event type',
    )
    expect(() => parseEnvelope(JSON.stringify({ ...good, data: { orderId: 5 } }))).toThrow(
      /data invalid at orderId/,
    )
  })

  it("names the subject's owner as the source and refuses an event from anyone else", () => {
    const event = createEnvelope('expiration.completed', { orderId })
    expect(event.source).toBe('expiration')
    expect(() => parseEnvelope(JSON.stringify({ ...event, source: 'payments' }))).toThrow(
      'expiration.completed from payments: only expiration publishes it',
    )
  })

  it('accepts fields added by a newer producer (schemas change additively)', () => {
    const good = createEnvelope('expiration.completed', { orderId })
    const newer = { ...good, extra: true, data: { orderId, reason: 'hold ended' } }
    expect(parseEnvelope(JSON.stringify(newer)).data).toEqual({ orderId })
  })
})
