import { inTransaction, PoisonMessageError } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { cancelOrder } from '../commands/cancel-order.ts'
import { handle, orderRow, outboxEvents, seedOrder, setupOrders } from '../test-support.ts'
import { onPaymentFailed } from './on-payment-failed.ts'
import { onPaymentRefunded } from './on-payment-refunded.ts'
import { onPaymentSucceeded } from './on-payment-succeeded.ts'

const ctx = await setupOrders()

const payment = (orderId: string) => ({
  id: crypto.randomUUID(),
  orderId,
  amount: 2500,
  stripeId: `pi_${crypto.randomUUID().slice(0, 8)}`,
})
const succeeded = (orderId: string) =>
  handle(ctx.db, onPaymentSucceeded(ctx.deps), 'payment.succeeded', payment(orderId))
const failed = (orderId: string, reason: string, at: Date) =>
  handle(
    ctx.db,
    onPaymentFailed(ctx.deps),
    'payment.failed',
    { id: crypto.randomUUID(), orderId, reason },
    at,
  )
const refunded = (orderId: string, at: Date) =>
  handle(ctx.db, onPaymentRefunded(ctx.deps), 'payment.refunded', payment(orderId), at)

describe('payment.succeeded', () => {
  it('completes the order and writes order.completed with the ticket id', async () => {
    const { ticket, order } = await seedOrder(ctx)
    await succeeded(order.id)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ status: 'complete', version: 1 })
    const events = await outboxEvents(ctx.db, order.id)
    expect(events.map((e) => e.type)).toEqual(['order.created', 'order.completed'])
    expect(events[1]?.event.data).toEqual({ id: order.id, version: 1, ticket: { id: ticket.id } })
  })

  it('skips an order that is already complete', async () => {
    const { order } = await seedOrder(ctx)
    await succeeded(order.id)
    await succeeded(order.id)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ status: 'complete', version: 1 })
    expect(await outboxEvents(ctx.db, order.id)).toHaveLength(2)
  })

  it('leaves a cancelled order cancelled and says so in the log (payments refunds)', async () => {
    const { order } = await seedOrder(ctx)
    await inTransaction(ctx.deps, (tx) => cancelOrder(ctx.deps, tx, { orderId: order.id }))
    await succeeded(order.id)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ status: 'cancelled', version: 1 })
    expect((await outboxEvents(ctx.db, order.id)).map((e) => e.type)).toEqual([
      'order.created',
      'order.cancelled',
    ])
    const warning = ctx.logger.lines.find((l) => l.includes('payment succeeded for a cancelled'))
    expect(warning).toContain(order.id)
  })

  it('clears an earlier payment error', async () => {
    const { order } = await seedOrder(ctx)
    await failed(order.id, 'Card declined', ctx.clock())
    await succeeded(order.id)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ paymentError: null })
  })

  it('dead-letters a payment for an unknown order', async () => {
    await expect(succeeded(crypto.randomUUID())).rejects.toBeInstanceOf(PoisonMessageError)
  })
})

describe('payment.failed', () => {
  it('records why on the order, without a version bump or an event', async () => {
    const { buyer, order } = await seedOrder(ctx)
    const at = new Date('2026-03-03T03:03:03Z')
    await failed(order.id, 'Your card was declined.', at)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({
      status: 'created',
      version: 0,
      paymentError: 'Your card was declined.',
      paymentErrorAt: at,
    })
    expect(await outboxEvents(ctx.db, order.id)).toHaveLength(1)
    const res = await ctx.app.request(`/api/orders/${order.id}`, { headers: buyer.headers })
    expect((await res.json()).paymentError).toEqual({
      message: 'Your card was declined.',
      at: at.toISOString(),
    })
  })

  it('does not mark a complete order with an error', async () => {
    const { order } = await seedOrder(ctx)
    await succeeded(order.id)
    await failed(order.id, 'late failure', ctx.clock())
    expect(await orderRow(ctx.db, order.id)).toMatchObject({
      status: 'complete',
      paymentError: null,
    })
  })

  it('dead-letters a failure for an unknown order', async () => {
    await expect(failed(crypto.randomUUID(), 'x', ctx.clock())).rejects.toBeInstanceOf(
      PoisonMessageError,
    )
  })
})

describe('payment.refunded', () => {
  it('records when the payment was refunded, shown on the order', async () => {
    const { buyer, order } = await seedOrder(ctx)
    await inTransaction(ctx.deps, (tx) => cancelOrder(ctx.deps, tx, { orderId: order.id }))
    const at = new Date('2026-04-04T04:04:04Z')
    await refunded(order.id, at)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({
      status: 'cancelled',
      version: 1,
      refundedAt: at,
    })
    expect(await outboxEvents(ctx.db, order.id)).toHaveLength(2)
    const res = await ctx.app.request(`/api/orders/${order.id}`, { headers: buyer.headers })
    expect((await res.json()).refundedAt).toBe(at.toISOString())
  })

  it('dead-letters a refund for an unknown order', async () => {
    await expect(refunded(crypto.randomUUID(), ctx.clock())).rejects.toBeInstanceOf(
      PoisonMessageError,
    )
  })
})
