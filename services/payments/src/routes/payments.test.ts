import { createEnvelope, inTransaction } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { onOrderCancelled } from '../events/on-order-cancelled.ts'
import { onOrderCompleted } from '../events/on-order-completed.ts'
import { setupPayments } from '../test-support.ts'

const t = await setupPayments()

async function buyer() {
  return t.auth.user()
}

describe('POST /api/payments rules', () => {
  it('needs a signed-in user', async () => {
    const res = await t.pay({}, { orderId: crypto.randomUUID(), token: 'tok_visa' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ errors: [{ message: 'Not authorized' }] })
  })

  it('rejects a malformed order id and a missing token field by field', async () => {
    const { headers } = await buyer()
    const res = await t.pay(headers, { orderId: 'not-a-uuid' })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.errors).toContainEqual({ message: 'Order id must be a valid id', field: 'orderId' })
    expect(body.errors.map((e: { field: string }) => e.field)).toContain('token')
  })

  it('answers 404 for an order it has never heard of', async () => {
    const { headers } = await buyer()
    const res = await t.pay(headers, { orderId: crypto.randomUUID(), token: 'tok_visa' })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ errors: [{ message: 'Order not found' }] })
  })

  it("refuses someone else's order", async () => {
    const owner = await buyer()
    const other = await buyer()
    const order = await t.order(owner.user.id)
    const res = await t.pay(other.headers, { orderId: order.id, token: 'tok_visa' })
    expect(res.status).toBe(403)
    expect(await t.paymentsOf(order.id)).toHaveLength(0)
  })

  it('refuses a cancelled order', async () => {
    const { user, headers } = await buyer()
    const order = await t.order(user.id)
    const cancelled = createEnvelope('order.cancelled', {
      id: order.id,
      version: 1,
      ticket: { id: order.ticket.id },
    })
    await inTransaction({ db: t.db }, (tx) => onOrderCancelled(t.deps)(tx, cancelled))
    const res = await t.pay(headers, { orderId: order.id, token: 'tok_visa' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: 'Cannot pay for a cancelled order' }] })
    expect(await t.paymentsOf(order.id)).toHaveLength(0)
  })

  it('refuses a completed order', async () => {
    const { user, headers } = await buyer()
    const order = await t.order(user.id)
    const completed = createEnvelope('order.completed', {
      id: order.id,
      version: 1,
      ticket: { id: order.ticket.id },
    })
    await inTransaction({ db: t.db }, (tx) => onOrderCompleted(t.deps)(tx, completed))
    const res = await t.pay(headers, { orderId: order.id, token: 'tok_visa' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: 'Order is already paid' }] })
  })

  it('refuses an order whose hold has ended before the cancellation arrives', async () => {
    const { user, headers } = await buyer()
    const order = await t.order(user.id, { holdMs: 60_000 })
    t.clock.advance(60_000)
    const res = await t.pay(headers, { orderId: order.id, token: 'tok_visa' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: 'Order has expired' }] })
    expect((await t.orderCopy(order.id))?.status).toBe('created')
    expect(await t.paymentsOf(order.id)).toHaveLength(0)
  })

  it('refuses an amount below 50 yen', async () => {
    const { user, headers } = await buyer()
    const order = await t.order(user.id, { price: 49 })
    const res = await t.pay(headers, { orderId: order.id, token: 'tok_visa' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      errors: [{ message: 'The amount must be at least 50 yen' }],
    })
  })
})

describe('POST /api/payments charging', () => {
  it('charges the order price in JPY and announces payment.succeeded', async () => {
    const { user, headers } = await buyer()
    const order = await t.order(user.id, { price: 4500 })
    const res = await t.pay(headers, { orderId: order.id, token: 'tok_visa' })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body).toEqual({
      id: expect.any(String),
      orderId: order.id,
      status: 'succeeded',
      amount: 4500,
      currency: 'JPY',
      stripeId: expect.stringMatching(/^pi_offline_/),
    })
    const charge = t.gateway.charges.find((c) => c.metadata.orderId === order.id)
    expect(charge).toMatchObject({ amount: 4500, currency: 'jpy', token: 'tok_visa' })
    const [payment] = await t.paymentsOf(order.id)
    expect(payment).toMatchObject({ id: body.id, status: 'succeeded', amount: 4500 })
    expect(await t.events('payment.succeeded', order.id)).toEqual([
      { id: body.id, orderId: order.id, amount: 4500, stripeId: body.stripeId },
    ])
  })

  it('accepts 50 yen exactly, Stripe minimum', async () => {
    const { user, headers } = await buyer()
    const order = await t.order(user.id, { price: 50 })
    const res = await t.pay(headers, { orderId: order.id, token: 'tok_jcb' })
    expect(res.status).toBe(201)
  })

  it('refuses a second payment of a paid order before order.completed arrives', async () => {
    const { user, headers } = await buyer()
    const order = await t.order(user.id)
    expect((await t.pay(headers, { orderId: order.id, token: 'tok_visa' })).status).toBe(201)
    const again = await t.pay(headers, { orderId: order.id, token: 'tok_mastercard' })
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual({ errors: [{ message: 'Order is already paid' }] })
    expect(t.gateway.charges.filter((c) => c.metadata.orderId === order.id)).toHaveLength(1)
  })

  it('declines with the gateway message, records payment.failed and lets the buyer retry', async () => {
    const { user, headers } = await buyer()
    const order = await t.order(user.id)
    const declined = await t.pay(headers, {
      orderId: order.id,
      token: 'tok_chargeDeclinedInsufficientFunds',
    })
    expect(declined.status).toBe(402)
    expect(await declined.json()).toEqual({
      errors: [{ message: 'Your card has insufficient funds.' }],
    })
    const [failed] = await t.paymentsOf(order.id)
    expect(failed).toMatchObject({
      status: 'failed',
      failureMessage: 'Your card has insufficient funds.',
    })
    expect(await t.events('payment.failed', order.id)).toEqual([
      { id: failed?.id, orderId: order.id, reason: 'Your card has insufficient funds.' },
    ])
    const paid = await t.pay(headers, { orderId: order.id, token: 'tok_visa' })
    expect(paid.status).toBe(201)
    const statuses = (await t.paymentsOf(order.id)).map((p) => p.status).sort()
    expect(statuses).toEqual(['failed', 'succeeded'])
    const keys = t.gateway.charges.filter((c) => c.metadata.orderId === order.id)
    expect(new Set(keys.map((c) => c.idempotencyKey)).size).toBe(2)
  })

  it('declines an unknown token like an unusable card', async () => {
    const { user, headers } = await buyer()
    const order = await t.order(user.id)
    const res = await t.pay(headers, { orderId: order.id, token: 'tok_made_up' })
    expect(res.status).toBe(402)
    expect(await res.json()).toEqual({ errors: [{ message: 'Your card was declined.' }] })
  })
})
