import { createInProcessBus, inTransaction, manualClock, startConsumer } from '@twtix/common'
import { eventually } from '@twtix/common/testing'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { processedEvents } from '../db/schema.ts'
import { dueRows, orderCreated, orderEnded, setupExpiration, testDeps } from '../test-support.ts'
import { onOrderCancelled } from './on-order-cancelled.ts'
import { onOrderCompleted } from './on-order-completed.ts'
import { onOrderCreated } from './on-order-created.ts'
import { subscriptions } from './subscriptions.ts'

const database = await setupExpiration()

describe('order event handlers', () => {
  const clock = manualClock()
  const deps = () => testDeps(database.db, clock)

  it('order.created schedules the expiry at expiresAt', async () => {
    const orderId = crypto.randomUUID()
    const expiresAt = new Date(clock().getTime() + 900_000)
    await inTransaction({ db: database.db }, (tx) =>
      onOrderCreated(deps())(tx, orderCreated(orderId, expiresAt)),
    )
    const rows = await dueRows(database.db, [orderId])
    expect(rows).toHaveLength(1)
    expect(rows[0]?.dueAt.toISOString()).toBe(expiresAt.toISOString())
    expect(rows[0]?.createdAt.toISOString()).toBe(clock().toISOString())
  })

  it('a second order.created for the same order keeps the first due time', async () => {
    const orderId = crypto.randomUUID()
    const first = new Date(clock().getTime() + 60_000)
    const later = new Date(clock().getTime() + 120_000)
    const handle = onOrderCreated(deps())
    await inTransaction({ db: database.db }, (tx) => handle(tx, orderCreated(orderId, first)))
    await inTransaction({ db: database.db }, (tx) => handle(tx, orderCreated(orderId, later)))
    const rows = await dueRows(database.db, [orderId])
    expect(rows.map((r) => r.dueAt.toISOString())).toEqual([first.toISOString()])
  })

  it('order.cancelled removes the due row', async () => {
    const orderId = crypto.randomUUID()
    const other = crypto.randomUUID()
    const at = new Date(clock().getTime() + 60_000)
    await inTransaction({ db: database.db }, async (tx) => {
      await onOrderCreated(deps())(tx, orderCreated(orderId, at))
      await onOrderCreated(deps())(tx, orderCreated(other, at))
    })
    await inTransaction({ db: database.db }, (tx) =>
      onOrderCancelled(deps())(tx, orderEnded('order.cancelled', orderId)),
    )
    expect(await dueRows(database.db, [orderId])).toEqual([])
    expect(await dueRows(database.db, [other])).toHaveLength(1)
  })

  it('order.completed removes the due row', async () => {
    const orderId = crypto.randomUUID()
    await inTransaction({ db: database.db }, (tx) =>
      onOrderCreated(deps())(tx, orderCreated(orderId, new Date(clock().getTime() + 60_000))),
    )
    await inTransaction({ db: database.db }, (tx) =>
      onOrderCompleted(deps())(tx, orderEnded('order.completed', orderId)),
    )
    expect(await dueRows(database.db, [orderId])).toEqual([])
  })

  it('ending an order it never saw is not an error', async () => {
    const orderId = crypto.randomUUID()
    await inTransaction({ db: database.db }, (tx) =>
      onOrderCancelled(deps())(tx, orderEnded('order.cancelled', orderId)),
    )
    expect(await dueRows(database.db, [orderId])).toEqual([])
  })

  it('consumes the orders topic through the bus, each event once', async () => {
    const bus = createInProcessBus()
    const d = deps()
    const subscription = await startConsumer({
      bus,
      db: database.db,
      processed: processedEvents,
      group: 'expiration',
      subscriptions: subscriptions(d),
      relay: d.relay,
      logger: d.logger,
    })
    const handled = async (eventId: string) =>
      (await database.db.select().from(processedEvents).where(eq(processedEvents.eventId, eventId)))
        .length === 1
    const publish = (e: { id: string; data: { id: string } }) =>
      bus.publish('orders', [{ key: e.data.id, value: JSON.stringify(e) }])
    const kept = crypto.randomUUID()
    const ended = crypto.randomUUID()
    const at = new Date(clock().getTime() + 60_000)
    const created = orderCreated(kept, at)
    const completed = orderEnded('order.completed', ended)
    await publish(created)
    await publish(orderCreated(ended, at))
    await publish(completed)
    await eventually(async () => (await handled(created.id)) && (await handled(completed.id)))
    expect(await dueRows(database.db, [kept])).toHaveLength(1)
    expect(await dueRows(database.db, [ended])).toEqual([])

    const cancelled = orderEnded('order.cancelled', kept)
    await publish(cancelled)
    await eventually(() => handled(cancelled.id))
    expect(await dueRows(database.db, [kept])).toEqual([])
    // Redelivered after the cancellation: the processed-events record keeps it from coming back.
    await publish(created)
    await eventually(() =>
      d.logger.lines.some((l) => l.includes('duplicate event skipped') && l.includes(created.id)),
    )
    expect(await dueRows(database.db, [kept])).toEqual([])
    await subscription.close()
    await bus.close()
  })
})
