import { createEnvelope, inTransaction, RetryLaterError } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { refundDue } from '../commands/refund-due.ts'
import { setupPayments } from '../test-support.ts'
import { onOrderCancelled } from './on-order-cancelled.ts'
import { onOrderCompleted } from './on-order-completed.ts'
import { onOrderCreated } from './on-order-created.ts'

const t = await setupPayments()

function cancelled(orderId: string, version: number) {
  return createEnvelope('order.cancelled', {
    id: orderId,
    version,
    ticket: { id: crypto.randomUUID() },
  })
}

function completed(orderId: string, version: number) {
  return createEnvelope('order.completed', {
    id: orderId,
    version,
    ticket: { id: crypto.randomUUID() },
  })
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
    const again = createEnvelope('order.created', { ...order, userId: crypto.randomUUID() })
    await inTransaction({ db: t.db }, (tx) => onOrderCreated(t.deps)(tx, again))
    expect((await t.orderCopy(order.id))?.userId).toBe(userId)
  })
})

describe('order.cancelled', () => {
  it('marks the copy cancelled at the next version and skips duplicates', async () => {
    const order = await t.order(crypto.randomUUID())
    await inTransaction({ db: t.db }, (tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    expect(await t.orderCopy(order.id)).toMatchObject({ status: 'cancelled', version: 1 })
    await inTransaction({ db: t.db }, (tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    expect((await t.orderCopy(order.id))?.version).toBe(1)
  })

  it('waits for missing versions and for an order not seen yet', async () => {
    const order = await t.order(crypto.randomUUID())
    await expect(
      inTransaction({ db: t.db }, (tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 2))),
    ).rejects.toBeInstanceOf(RetryLaterError)
    expect(await t.orderCopy(order.id)).toMatchObject({ status: 'created', version: 0 })
    await expect(
      inTransaction({ db: t.db }, (tx) =>
        onOrderCancelled(t.deps)(tx, cancelled(crypto.randomUUID(), 1)),
      ),
    ).rejects.toBeInstanceOf(RetryLaterError)
  })

  it('refunds a payment that succeeded before the cancellation after the commit, once', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id)
    const paid = await (await t.pay(headers, { orderId: order.id, token: 'tok_visa' })).json()
    const refundsOf = () => t.gateway.refunds.filter((r) => r.paymentIntentId === paid.stripeId)
    // A handler that crashes before its commit has called no gateway and marked nothing.
    await expect(
      inTransaction({ db: t.db }, async (tx) => {
        await onOrderCancelled(t.deps)(tx, cancelled(order.id, 1))
        expect(refundsOf()).toHaveLength(0)
        throw new Error('crash before commit')
      }),
    ).rejects.toThrow('crash before commit')
    expect((await t.paymentsOf(order.id))[0]).toMatchObject({
      status: 'succeeded',
      refundDueAt: null,
    })
    // The retried event commits the refund as due; the gateway is called only by the refund job.
    await inTransaction({ db: t.db }, (tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    expect(refundsOf()).toHaveLength(0)
    expect((await t.paymentsOf(order.id))[0]?.refundDueAt).toEqual(t.clock())
    expect(await refundDue(t.deps)).toBeGreaterThanOrEqual(1)
    expect(await refundDue(t.deps)).toBe(0)
    expect(refundsOf()).toEqual([
      { paymentIntentId: paid.stripeId, idempotencyKey: `refund-${paid.id}` },
    ])
    expect((await t.paymentsOf(order.id))[0]?.status).toBe('refunded')
    expect(await t.events('payment.refunded', order.id)).toEqual([
      { id: paid.id, orderId: order.id, amount: 3000, stripeId: paid.stripeId },
    ])
  })

  it('keeps a refund the gateway refused due, and gives it back on a later run', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id)
    const paid = await (await t.pay(headers, { orderId: order.id, token: 'tok_visa' })).json()
    await inTransaction({ db: t.db }, (tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    const down = {
      ...t.deps,
      gateway: {
        ...t.gateway,
        refund: async () => {
          throw new Error('gateway unreachable')
        },
      },
    }
    await refundDue(down)
    expect((await t.paymentsOf(order.id))[0]?.status).toBe('succeeded')
    await refundDue(t.deps)
    expect((await t.paymentsOf(order.id))[0]?.status).toBe('refunded')
    expect(t.gateway.refunds.filter((r) => r.paymentIntentId === paid.stripeId)).toHaveLength(1)
  })

  it('leaves failed payments alone', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id)
    await t.pay(headers, { orderId: order.id, token: 'tok_chargeDeclined' })
    await inTransaction({ db: t.db }, (tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    expect((await t.paymentsOf(order.id))[0]?.status).toBe('failed')
    expect(await t.events('payment.refunded', order.id)).toHaveLength(0)
  })
})

describe('order.completed', () => {
  it('marks the copy completed at the next version only', async () => {
    const order = await t.order(crypto.randomUUID())
    await expect(
      inTransaction({ db: t.db }, (tx) => onOrderCompleted(t.deps)(tx, completed(order.id, 3))),
    ).rejects.toBeInstanceOf(RetryLaterError)
    await inTransaction({ db: t.db }, (tx) => onOrderCompleted(t.deps)(tx, completed(order.id, 1)))
    expect(await t.orderCopy(order.id)).toMatchObject({ status: 'completed', version: 1 })
    await inTransaction({ db: t.db }, (tx) => onOrderCancelled(t.deps)(tx, cancelled(order.id, 1)))
    expect((await t.orderCopy(order.id))?.status).toBe('completed')
  })
})
