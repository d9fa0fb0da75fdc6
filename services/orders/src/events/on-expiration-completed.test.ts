import { inTransaction, PoisonMessageError } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { cancelOrder } from '../commands/cancel-order.ts'
import { completeOrder } from '../commands/complete-order.ts'
import { handle, orderRow, outboxEvents, seedOrder, setupOrders } from '../test-support.ts'
import { onExpirationCompleted } from './on-expiration-completed.ts'

const ctx = await setupOrders()

const expire = (orderId: string) =>
  handle(ctx.db, onExpirationCompleted(ctx.deps), 'expiration.completed', { orderId })

describe('expiration.completed', () => {
  it('cancels an unpaid order and writes order.cancelled', async () => {
    const { ticket, order } = await seedOrder(ctx)
    await expire(order.id)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ status: 'cancelled', version: 1 })
    const events = await outboxEvents(ctx.db, order.id)
    expect(events.map((e) => e.type)).toEqual(['order.created', 'order.cancelled'])
    expect(events[1]?.event.data).toEqual({ id: order.id, version: 1, ticket: { id: ticket.id } })
  })

  it('leaves a complete order alone', async () => {
    const { order } = await seedOrder(ctx)
    await inTransaction(ctx.deps, (tx) => completeOrder(ctx.deps, tx, { orderId: order.id }))
    await expire(order.id)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ status: 'complete', version: 1 })
    expect((await outboxEvents(ctx.db, order.id)).map((e) => e.type)).toEqual([
      'order.created',
      'order.completed',
    ])
  })

  it('publishes nothing for an order the buyer already cancelled', async () => {
    const { order } = await seedOrder(ctx)
    await inTransaction(ctx.deps, (tx) => cancelOrder(ctx.deps, tx, { orderId: order.id }))
    await expire(order.id)
    expect(await orderRow(ctx.db, order.id)).toMatchObject({ status: 'cancelled', version: 1 })
    expect(await outboxEvents(ctx.db, order.id)).toHaveLength(2)
  })

  it('sends an event about an unknown order to the dead-letter topic', async () => {
    await expect(expire(crypto.randomUUID())).rejects.toBeInstanceOf(PoisonMessageError)
  })
})
