import { inTransaction, readConfig } from '@twtix/common'
import { and, eq, like } from 'drizzle-orm'
import fc from 'fast-check'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPayment } from '../../services/payments/src/commands/start-payment.ts'
import { PaymentsConfigSchema } from '../../services/payments/src/config.ts'
import { outbox, payments, stripeEvents } from '../../services/payments/src/db/schema.ts'
import type { Deps } from '../../services/payments/src/deps.ts'
import { createOfflineGateway } from '../../services/payments/src/gateway/offline.ts'
import { RUNS } from './arbitraries.ts'
import { createMarketplace, type Marketplace, type User, WEBHOOK_SECRET } from './marketplace.ts'
import { expectCleanError } from './responses.ts'
import { expectUnchanged, snapshot } from './state.ts'

/**
 * Stripe's webhook under attack: a bad or missing signature is refused, a replayed event is
 * applied once, an event for a payment twtix does not know is ignored. Nothing is ever applied
 * twice, and nothing but the record of a verified event's id changes for one not applied.
 */

let market: Marketplace
let buyer: User
let seller: User
beforeAll(async () => {
  market = await createMarketplace()
  buyer = await market.signUp('buyer')
  seller = await market.signUp('seller')
})
afterAll(async () => {
  await market?.stop()
})

const eventId = () => `evt_${crypto.randomUUID().replaceAll('-', '')}`
const sign = (payload: string, secret = WEBHOOK_SECRET, timestamp?: number) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp })

/** Delivers a body signed with the webhook secret, another signature, or none (null). */
function deliver(payload: string, signature: string | null = sign(payload)) {
  return market.send('POST', '/api/payments/webhook', {
    raw: payload,
    headers: {
      'Content-Type': 'application/json',
      ...(signature === null ? {} : { 'Stripe-Signature': signature }),
    },
  })
}

type EventStub = { id?: string; type: string; object: Record<string, unknown> }

const eventJson = (event: EventStub) =>
  JSON.stringify({
    id: event.id ?? eventId(),
    object: 'event',
    type: event.type,
    data: { object: event.object },
  })

/** A payment left pending, as when the process died while the gateway was charging. */
async function pendingPayment() {
  const { order } = await market.placeOrder(buyer, seller, 6000)
  const deps: Deps = {
    db: market.db,
    clock: market.clock,
    logger: market.logger,
    config: readConfig(PaymentsConfigSchema, { PAYMENTS_OFFLINE: 'true' }),
    gateway: createOfflineGateway(),
  }
  const payment = await inTransaction(deps, (tx) =>
    startPayment(deps, tx, {
      userId: buyer.id,
      orderId: order.id,
      token: 'tok_visa',
    }),
  )
  await market.settle()
  return { order, payment }
}

const succeeded = (paymentId: string, intentId = `pi_${crypto.randomUUID().slice(0, 12)}`) => ({
  type: 'payment_intent.succeeded',
  object: { id: intentId, object: 'payment_intent', status: 'succeeded', metadata: { paymentId } },
})

async function statusOf(paymentId: string) {
  const [row] = await market.db.select().from(payments).where(eq(payments.id, paymentId))
  return row?.status
}

async function eventsAbout(type: string, paymentId: string) {
  const rows = await market.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.type, type), like(outbox.payload, `%${paymentId}%`)))
  return rows.length
}

describe('POST /api/payments/webhook: signatures', () => {
  it('refuses a missing, forged, stale or mismatched signature, and applies nothing', async () => {
    const { payment } = await pendingPayment()
    const payload = eventJson(succeeded(payment.id))
    const before = await snapshot(market.db)
    const now = Math.floor(Date.now() / 1000)
    const forged = fc.oneof(
      fc.constant<string | null>(null),
      fc.constant(''),
      fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
      fc.constantFrom('t=1,v1=00', `t=${now}`, `v1=${'0'.repeat(64)}`, 't=,v1=,v0='),
      fc.string({ minLength: 1, maxLength: 30 }).map((secret) => sign(payload, `whsec_${secret}`)),
      fc
        .integer({ min: 301, max: 10_000_000 })
        .map((age) => sign(payload, WEBHOOK_SECRET, now - age)),
      fc.string({ minLength: 1, maxLength: 20 }).map((other) => sign(`${payload}${other}`)),
      fc.constant(sign(payload).replace(/v1=([0-9a-f])/, (_, c) => `v1=${c === '0' ? '1' : '0'}`)),
    )
    await fc.assert(
      fc.asyncProperty(forged, async (signature) => {
        const reply = await deliver(payload, signature)
        expectCleanError(reply, [400])
        expectUnchanged(before, await snapshot(market.db), `signature ${signature}`)
      }),
      RUNS,
    )
    const tampered = payload.replace('"status":"succeeded"', '"status":"succeeded" ')
    expectCleanError(await deliver(tampered, sign(payload)), [400])
    expect(await statusOf(payment.id)).toBe('pending')
  })
})

describe('POST /api/payments/webhook: replays', () => {
  it('applies an event once, however often it is delivered', async () => {
    const { payment } = await pendingPayment()
    const payload = eventJson(succeeded(payment.id))
    expect((await deliver(payload)).status).toBe(200)
    expect(await statusOf(payment.id)).toBe('succeeded')
    const before = await market.settle()
    const again = [
      await deliver(payload),
      ...(await Promise.all([1, 2, 3, 4].map(() => deliver(payload)))),
    ]
    for (const reply of again) expect(reply.status).toBe(200)
    expectUnchanged(before, await market.settle(), 'a replayed event')
    expect(await eventsAbout('payment.succeeded', payment.id)).toBe(1)
  })

  it('applies an event once when its copies arrive at the same time', async () => {
    const { payment } = await pendingPayment()
    const payload = eventJson(succeeded(payment.id))
    const replies = await Promise.all(Array.from({ length: 6 }, () => deliver(payload)))
    for (const reply of replies) expect(reply.status, reply.text).toBe(200)
    expect(await statusOf(payment.id)).toBe('succeeded')
    expect(await eventsAbout('payment.succeeded', payment.id)).toBe(1)
    const recorded = await market.db
      .select()
      .from(stripeEvents)
      .where(eq(stripeEvents.id, JSON.parse(payload).id))
    expect(recorded).toHaveLength(1)
  })

  it('settles a payment once when a success and a failure race for it', async () => {
    const { payment } = await pendingPayment()
    const intent = `pi_${crypto.randomUUID().slice(0, 12)}`
    const failed = eventJson({
      type: 'payment_intent.payment_failed',
      object: {
        id: intent,
        metadata: { paymentId: payment.id },
        last_payment_error: { message: 'Your card was declined.' },
      },
    })
    const won = eventJson(succeeded(payment.id, intent))
    const replies = await Promise.all([
      deliver(won),
      deliver(failed),
      deliver(won),
      deliver(failed),
    ])
    for (const reply of replies) expect(reply.status).toBe(200)
    const outcomes =
      (await eventsAbout('payment.succeeded', payment.id)) +
      (await eventsAbout('payment.failed', payment.id))
    expect(outcomes).toBe(1)
  })

  it('ignores a new event for a payment already settled, but for the record of its id', async () => {
    const { payment } = await pendingPayment()
    const intent = `pi_${crypto.randomUUID().slice(0, 12)}`
    expect((await deliver(eventJson(succeeded(payment.id, intent)))).status).toBe(200)
    const before = await market.settle()
    const later = [
      eventJson(succeeded(payment.id, intent)),
      eventJson({
        type: 'payment_intent.payment_failed',
        object: { id: intent, metadata: { paymentId: payment.id } },
      }),
    ]
    for (const payload of later) expect((await deliver(payload)).status).toBe(200)
    expectUnchanged(before, await market.settle(), 'a late event', {
      except: ['payments.stripe_events'],
    })
    expect(await statusOf(payment.id)).toBe('succeeded')
  })

  it('records a refund once, however often charge.refunded is delivered', async () => {
    const { order } = await market.placeOrder(buyer, seller, 7000)
    const paid = await market.send('POST', '/api/payments', {
      body: { orderId: order.id, token: 'tok_visa' },
      token: buyer.token,
    })
    expect(paid.status, paid.text).toBe(201)
    const payload = eventJson({
      type: 'charge.refunded',
      object: { id: 'ch_hostile', payment_intent: paid.body.stripeId, refunded: true },
    })
    expect((await deliver(payload)).status).toBe(200)
    const before = await market.settle()
    expect(await statusOf(paid.body.id)).toBe('refunded')
    for (let i = 0; i < 3; i++) expect((await deliver(payload)).status).toBe(200)
    const copy = eventJson({
      type: 'charge.refunded',
      object: { id: 'ch_hostile', payment_intent: paid.body.stripeId, refunded: true },
    })
    expect((await deliver(copy)).status).toBe(200)
    expectUnchanged(before, await market.settle(), 'a replayed refund', {
      except: ['payments.stripe_events'],
    })
    expect(await eventsAbout('payment.refunded', paid.body.id)).toBe(1)
  })
})

describe('POST /api/payments/webhook: events twtix cannot apply', () => {
  it('ignores events for payments it does not know', async () => {
    const before = await market.settle()
    const unknown = fc.record({
      type: fc.constantFrom(
        'payment_intent.succeeded',
        'payment_intent.payment_failed',
        'charge.refunded',
        'customer.created',
      ),
      intent: fc.oneof(fc.stringMatching(/^pi_[A-Za-z0-9]{1,24}$/), fc.string({ maxLength: 30 })),
      paymentId: fc.option(fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })), { nil: undefined }),
    })
    await fc.assert(
      fc.asyncProperty(unknown, async ({ type, intent, paymentId }) => {
        const id = eventId()
        const metadata = paymentId === undefined ? {} : { paymentId }
        const object =
          type === 'charge.refunded'
            ? { id: 'ch_x', payment_intent: intent, refunded: true }
            : { id: intent, metadata }
        const reply = await deliver(eventJson({ id, type, object }))
        expect(reply.status, reply.text).toBe(200)
        expectUnchanged(before, await snapshot(market.db), type, {
          except: ['payments.stripe_events'],
        })
        const [recorded] = await market.db
          .select()
          .from(stripeEvents)
          .where(eq(stripeEvents.id, id))
        expect(recorded?.type).toBe(type)
      }),
      RUNS,
    )
  })

  it('answers any signed body with 200 or a clean 400, never a 500', async () => {
    const before = await market.settle()
    const bodies = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      fc
        .record(
          {
            id: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null)),
            type: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('payment_intent.succeeded')),
            data: fc.oneof(
              fc.constant(null),
              fc.record({ object: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
            ),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    )
    await fc.assert(
      fc.asyncProperty(bodies, async (payload) => {
        const reply = await deliver(payload)
        if (reply.status !== 200) expectCleanError(reply, [400])
        expectUnchanged(before, await snapshot(market.db), payload, {
          except: ['payments.stripe_events'],
        })
      }),
      RUNS,
    )
  })

  it('ignores a signed event nested 10,000 deep without running out of stack', async () => {
    const before = await market.settle()
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`
    for (const type of ['payment_intent.succeeded', 'charge.refunded', 'customer.created']) {
      const payload = `{"id":"${eventId()}","type":"${type}","data":{"object":${deep}}}`
      expect((await deliver(payload)).status).toBe(200)
    }
    expectUnchanged(before, await snapshot(market.db), 'deep events', {
      except: ['payments.stripe_events'],
    })
  })

  it.each([
    ['no id', '{"type":"payment_intent.succeeded","data":{"object":{"id":"pi_1"}}}'],
    ['no type', '{"id":"evt_no_type","data":{"object":{"id":"pi_1"}}}'],
    ['no data', '{"id":"evt_no_data","type":"payment_intent.succeeded"}'],
    ['null', 'null'],
    ['an array', '[]'],
    ['NUL in its id', '{"id":"evt_\\u0000","type":"x","data":{"object":{}}}'],
    ['NUL in its type', '{"id":"evt_nul_type","type":"x\\u0000","data":{"object":{}}}'],
    [
      'NUL in a decline message',
      '{"id":"evt_nul_msg","type":"payment_intent.payment_failed","data":{"object":{"id":"pi_1","last_payment_error":{"message":"no\\u0000"}}}}',
    ],
  ])('refuses a signed event with %s as malformed', async (_, payload) => {
    const before = await market.settle()
    const reply = await deliver(payload)
    expectCleanError(reply, [400])
    expect(reply.body.errors).toEqual([{ message: 'Malformed Stripe event' }])
    expectUnchanged(before, await snapshot(market.db))
  })
})
