import { createEnvelope, inTransaction } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import type { Deps } from '../deps.ts'
import { onOrderCancelled } from '../events/on-order-cancelled.ts'
import { createOfflineGateway } from '../gateway/offline.ts'
import type { PaymentGateway } from '../gateway/port.ts'
import { countingGateway, setupPayments } from '../test-support.ts'
import { payOrder } from './pay-order.ts'

const t = await setupPayments()

function appWith(gateway: PaymentGateway) {
  const deps: Deps = { ...t.deps, gateway }
  return { deps, app: createApp(deps) }
}

function post(app: ReturnType<typeof appWith>['app'], headers: object, body: object) {
  return app.request('/api/payments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

describe('paying with an Idempotency-Key', () => {
  it('replays the response of a retried request and charges once', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id)
    const keyed = { ...headers, 'Idempotency-Key': `pay-${order.id}` }
    const first = await t.pay(keyed, { orderId: order.id, token: 'tok_visa' })
    const second = await t.pay(keyed, { orderId: order.id, token: 'tok_visa' })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await second.json()).toEqual(await first.json())
    expect(t.gateway.charges.filter((c) => c.metadata.orderId === order.id)).toHaveLength(1)
    expect(await t.paymentsOf(order.id)).toHaveLength(1)
  })

  it('reuses the gateway key when the first attempt died after charging', async () => {
    const offline = createOfflineGateway()
    let lost: string | undefined
    const counted = countingGateway({
      ...offline,
      async charge(input) {
        const result = await offline.charge(input)
        if (!lost) {
          lost = result.id
          throw new Error('connection reset after the charge')
        }
        return result
      },
    })
    const { app } = appWith(counted)
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id)
    const keyed = { ...headers, 'Idempotency-Key': 'retry-me' }
    const crashed = await post(app, keyed, { orderId: order.id, token: 'tok_visa' })
    expect(crashed.status).toBe(500)
    const retried = await post(app, keyed, { orderId: order.id, token: 'tok_visa' })
    expect(retried.status).toBe(201)
    const [a, b] = counted.charges
    expect(b?.idempotencyKey).toBe(a?.idempotencyKey)
    const rows = await t.paymentsOf(order.id)
    expect(rows).toHaveLength(1)
    // The gateway answered the retry with the first charge, not a second one.
    expect(rows[0]).toMatchObject({
      status: 'succeeded',
      gatewayKey: a?.idempotencyKey,
      stripeId: lost,
    })
    expect(await t.events('payment.succeeded', order.id)).toHaveLength(1)
  })

  it('gives two users with the same key different gateway keys', async () => {
    const one = await t.auth.user()
    const two = await t.auth.user()
    const a = await t.order(one.user.id)
    const b = await t.order(two.user.id)
    await t.pay({ ...one.headers, 'Idempotency-Key': 'same' }, { orderId: a.id, token: 'tok_visa' })
    await t.pay({ ...two.headers, 'Idempotency-Key': 'same' }, { orderId: b.id, token: 'tok_visa' })
    const [pa] = await t.paymentsOf(a.id)
    const [pb] = await t.paymentsOf(b.id)
    expect(pa?.gatewayKey).not.toBe(pb?.gatewayKey)
  })
})

describe('a charge that lands after the order changed', () => {
  it('refunds when the order was cancelled while the gateway was charging', async () => {
    const { user } = await t.auth.user()
    const order = await t.order(user.id)
    const offline = countingGateway()
    const { deps } = appWith({
      ...offline,
      async charge(input) {
        const cancelled = createEnvelope('order.cancelled', {
          id: order.id,
          version: 1,
          ticket: { id: order.ticket.id },
        })
        await inTransaction({ db: t.db }, (tx) => onOrderCancelled(t.deps)(tx, cancelled))
        return offline.charge(input)
      },
    })
    await expect(
      payOrder(deps, { userId: user.id, orderId: order.id, token: 'tok_visa' }),
    ).rejects.toThrow('The order was cancelled or already paid; this payment has been refunded')
    const [payment] = await t.paymentsOf(order.id)
    expect(payment?.status).toBe('refunded')
    expect(offline.refunds).toEqual([
      { paymentIntentId: payment?.stripeId, idempotencyKey: `refund-${payment?.id}` },
    ])
    expect(await t.events('payment.succeeded', order.id)).toHaveLength(0)
    expect(await t.events('payment.refunded', order.id)).toEqual([
      { id: payment?.id, orderId: order.id, amount: 3000, stripeId: payment?.stripeId },
    ])
  })

  it('refunds the later of two payments racing for one order', async () => {
    const { user } = await t.auth.user()
    const order = await t.order(user.id)
    const offline = countingGateway()
    let raced = false
    const racing: Deps = {
      ...t.deps,
      gateway: {
        ...offline,
        async charge(input) {
          if (!raced) {
            raced = true
            await payOrder(racing, { userId: user.id, orderId: order.id, token: 'tok_amex' })
          }
          return offline.charge(input)
        },
      },
    }
    await expect(
      payOrder(racing, { userId: user.id, orderId: order.id, token: 'tok_visa' }),
    ).rejects.toThrow('refunded')
    const statuses = (await t.paymentsOf(order.id)).map((p) => p.status).sort()
    expect(statuses).toEqual(['refunded', 'succeeded'])
    expect(await t.events('payment.succeeded', order.id)).toHaveLength(1)
    expect(offline.refunds).toHaveLength(1)
  })
})
