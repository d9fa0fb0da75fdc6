import { createEnvelope, RetryLaterError } from '@twtix/common'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPaymentsTest, type PaymentsTest } from '../test-support.ts'
import { onOrderCancelled } from './on-order-cancelled.ts'
import { onOrderCompleted } from './on-order-completed.ts'
import { onOrderCreated } from './on-order-created.ts'

let t: PaymentsTest
beforeAll(async () => {
  t = await createPaymentsTest()
})
afterAll(async () => {
  await t.database.close()
})

function cancelled(orderId: string, version: number) {
  return createEnvelope(
    'order.cancelled',
    { id: orderId, version, ticket: { id: crypto.randomUUID() } },
    { source: 'orders' },
  )
}

function completed(orderId: string, version: number) {
  return createEnvelope(
    'order.completed',
    { id: orderId, version, ticket: { id: crypto.randomUUID() } },
    { source: 'orders' },
  )
}

describe('order.created', () => {
  it('stores the order with the ticket price, once', async () => {
    const userId = crypto.randomUUID()
    const order = await t.order(userId, { price: 7777 })
    expect(await t.orderCopy(order.id)).toMatchObject({
      userId,
      price: 7777,
      status: 'created',
      version: 0,
      expiresAt: new Date(order.expiresAt),
    })
    const again = createEnvelope(
      'order.created',
      { ...order, userId: crypto.randomUUID() },
      {
        source: 'orders',
      },
    )
    await t.db.transaction((tx) => onOrderCreated(t.deps)(tx, again))
    expect((await t.orderCopy(order.id))?.userId).toBe(userId)
  })
})

describe('order.cancelled', () => {
  it('marks the copy cancelled at the next version and skips duplicates', async () => {
    const order = await t.order(crypto.randomUUID())
    await t.db.transaction((tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    expect(await t.orderCopy(order.id)).toMatchObject({ status: 'cancelled', version: 1 })
    await t.db.transaction((tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    expect((await t.orderCopy(order.id))?.version).toBe(1)
  })

  it('waits for missing versions and for an order not seen yet', async () => {
    const order = await t.order(crypto.randomUUID())
    await expect(
      t.db.transaction((tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 2))),
    ).rejects.toBeInstanceOf(RetryLaterError)
    expect(await t.orderCopy(order.id)).toMatchObject({ status: 'created', version: 0 })
    await expect(
      t.db.transaction((tx) => onOrderCancelled(t.deps)(tx, cancelled(crypto.randomUUID(), 1))),
    ).rejects.toBeInstanceOf(RetryLaterError)
  })

  it('refunds a payment that succeeded before the cancellation, once across retries', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id)
    const paid = await (await t.pay(headers, { orderId: order.id, token: 'tok_visa' })).json()
    // The first attempt refunds at the gateway, then its transaction rolls back.
    await expect(
      t.db.transaction(async (tx) => {
        await onOrderCancelled(t.deps)(tx, cancelled(order.id, 1))
        throw new Error('crash before commit')
      }),
    ).rejects.toThrow('crash before commit')
    expect((await t.paymentsOf(order.id))[0]?.status).toBe('succeeded')
    await t.db.transaction((tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    const refunds = t.gateway.refunds.filter((r) => r.paymentIntentId === paid.stripeId)
    expect(refunds).toHaveLength(2)
    expect(refunds.map((r) => r.idempotencyKey)).toEqual([`refund-${paid.id}`, `refund-${paid.id}`])
    expect((await t.paymentsOf(order.id))[0]?.status).toBe('refunded')
    expect(await t.events('payment.refunded', order.id)).toEqual([
      { id: paid.id, orderId: order.id, amount: 3000, stripeId: paid.stripeId },
    ])
  })

  it('leaves failed payments alone', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id)
    await t.pay(headers, { orderId: order.id, token: 'tok_chargeDeclined' })
    await t.db.transaction((tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    expect((await t.paymentsOf(order.id))[0]?.status).toBe('failed')
    expect(await t.events('payment.refunded', order.id)).toHaveLength(0)
  })
})

describe('order.completed', () => {
  it('marks the copy completed at the next version only', async () => {
    const order = await t.order(crypto.randomUUID())
    await expect(
      t.db.transaction((tx) => onOrderCompleted(t.deps)(tx, completed(order.id, 3))),
    ).rejects.toBeInstanceOf(RetryLaterError)
    await t.db.transaction((tx) => onOrderCompleted(t.deps)(tx, completed(order.id, 1)))
    expect(await t.orderCopy(order.id)).toMatchObject({ status: 'completed', version: 1 })
    await t.db.transaction((tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    expect((await t.orderCopy(order.id))?.status).toBe('completed')
  })
})
