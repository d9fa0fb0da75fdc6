import { inTransaction } from '@twtix/common'
import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { startPayment } from '../commands/start-payment.ts'
import { setupPayments, WEBHOOK_SECRET } from '../test-support.ts'

const t = await setupPayments()

type Stub = { id?: string; type: string; object: Record<string, unknown> }

function payload(event: Stub) {
  return JSON.stringify({
    id: event.id ?? `evt_${crypto.randomUUID().replaceAll('-', '')}`,
    object: 'event',
    type: event.type,
    data: { object: event.object },
  })
}

function deliver(body: string, signature?: string, app = t.app) {
  const sig =
    signature ?? Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET })
  return app.request('/api/payments/webhook', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': sig },
    body,
  })
}

/** A payment whose charge the route never recorded (the process died while charging). */
async function pendingPayment() {
  const { user } = await t.auth.user()
  const order = await t.order(user.id, { price: 2500 })
  const payment = await inTransaction(t.deps, (tx) =>
    startPayment(t.deps, tx, {
      userId: user.id,
      orderId: order.id,
      token: 'tok_visa',
    }),
  )
  return { order, payment }
}

describe('POST /api/payments/webhook', () => {
  it('answers 400 when no webhook secret is configured', async () => {
    const app = createApp({ ...t.deps, webhooks: undefined })
    const res = await deliver(payload({ type: 'ping', object: {} }), undefined, app)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: 'Webhooks are not configured' }] })
  })

  it('rejects a missing or wrong signature', async () => {
    const body = payload({ type: 'payment_intent.succeeded', object: { id: 'pi_x' } })
    const missing = await t.app.request('/api/payments/webhook', { method: 'POST', body })
    expect(missing.status).toBe(400)
    expect(await missing.json()).toEqual({
      errors: [{ message: 'Missing Stripe-Signature header' }],
    })
    const forged = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: 'whsec_other',
    })
    const wrong = await deliver(body, forged)
    expect(wrong.status).toBe(400)
    expect(await wrong.json()).toEqual({ errors: [{ message: 'Invalid Stripe signature' }] })
    const signed = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: WEBHOOK_SECRET,
    })
    const tampered = await deliver(body.replace('pi_x', 'pi_y'), signed)
    expect(tampered.status).toBe(400)
  })

  it('completes a pending payment on payment_intent.succeeded, once', async () => {
    const { order, payment } = await pendingPayment()
    const body = payload({
      type: 'payment_intent.succeeded',
      object: {
        id: 'pi_webhook_1',
        status: 'succeeded',
        metadata: { orderId: order.id, paymentId: payment.id },
      },
    })
    const res = await deliver(body)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ received: true })
    expect((await t.paymentsOf(order.id))[0]).toMatchObject({
      status: 'succeeded',
      stripeId: 'pi_webhook_1',
    })
    expect(await t.events('payment.succeeded', order.id)).toEqual([
      { id: payment.id, orderId: order.id, amount: 2500, stripeId: 'pi_webhook_1' },
    ])
    const replay = await deliver(body)
    expect(replay.status).toBe(200)
    expect(await t.events('payment.succeeded', order.id)).toHaveLength(1)
  })

  it('fails a pending payment on payment_intent.payment_failed with Stripe message', async () => {
    const { order, payment } = await pendingPayment()
    const res = await deliver(
      payload({
        type: 'payment_intent.payment_failed',
        object: {
          id: 'pi_webhook_2',
          metadata: { paymentId: payment.id },
          last_payment_error: { message: 'Your card was declined.' },
        },
      }),
    )
    expect(res.status).toBe(200)
    expect((await t.paymentsOf(order.id))[0]).toMatchObject({
      status: 'failed',
      failureMessage: 'Your card was declined.',
    })
    expect(await t.events('payment.failed', order.id)).toEqual([
      { id: payment.id, orderId: order.id, reason: 'Your card was declined.' },
    ])
  })

  it('records a refund made outside twtix on charge.refunded', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id)
    const paid = await (await t.pay(headers, { orderId: order.id, token: 'tok_visa' })).json()
    const body = payload({
      type: 'charge.refunded',
      object: { id: 'ch_1', payment_intent: paid.stripeId, refunded: true },
    })
    expect((await deliver(body)).status).toBe(200)
    expect((await t.paymentsOf(order.id))[0]?.status).toBe('refunded')
    expect((await deliver(body)).status).toBe(200)
    expect(await t.events('payment.refunded', order.id)).toEqual([
      { id: paid.id, orderId: order.id, amount: 3000, stripeId: paid.stripeId },
    ])
  })

  it('ignores a partial refund, unknown payments and other event types', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id)
    const paid = await (await t.pay(headers, { orderId: order.id, token: 'tok_visa' })).json()
    const partial = payload({
      type: 'charge.refunded',
      object: { id: 'ch_2', payment_intent: paid.stripeId, refunded: false },
    })
    expect((await deliver(partial)).status).toBe(200)
    const unknown = payload({
      type: 'payment_intent.succeeded',
      object: { id: 'pi_nobody', metadata: { paymentId: 'not-a-uuid' } },
    })
    expect((await deliver(unknown)).status).toBe(200)
    const other = payload({ type: 'customer.created', object: { id: 'cus_1' } })
    expect((await deliver(other)).status).toBe(200)
    expect((await t.paymentsOf(order.id))[0]?.status).toBe('succeeded')
    expect(await t.events('payment.refunded', order.id)).toHaveLength(0)
  })
})
