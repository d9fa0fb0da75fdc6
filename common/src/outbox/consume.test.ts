import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInProcessBus } from '../bus/in-process.ts'
import type { BusMessage, EventBus, SubscribeOptions } from '../bus/port.ts'
import type { Database } from '../db/database.ts'
import { createEnvelope } from '../events/envelope.ts'
import { memoryLogger } from '../logger.ts'
import { createFixtureDatabase } from '../testing/fixture-database.ts'
import { outbox, processedEvents } from '../testing/fixture-schema.ts'
import { eventually } from '../testing/test-database.ts'
import { startConsumer } from './consume.ts'
import { enqueue } from './enqueue.ts'
import { once, onceEach } from './once.ts'
import { createRelay } from './relay.ts'

let database: Database
beforeAll(async () => {
  database = await createFixtureDatabase()
})
afterAll(async () => {
  await database?.close()
})

const expired = (orderId: string) => createEnvelope('expiration.completed', { orderId })

describe('once', () => {
  it('is true the first time and false for the same event again', async () => {
    const eventId = crypto.randomUUID()
    const first = await database.db.transaction((tx) => once(tx, processedEvents, 'g1', eventId))
    const again = await database.db.transaction((tx) => once(tx, processedEvents, 'g1', eventId))
    const otherGroup = await database.db.transaction((tx) =>
      once(tx, processedEvents, 'g2', eventId),
    )
    expect([first, again, otherGroup]).toEqual([true, false, true])
  })

  it('records several events in one statement and tells which were new', async () => {
    const [seen, fresh1, fresh2] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
    await database.db.transaction((tx) => once(tx, processedEvents, 'g1', seen))
    const recorded = await database.db.transaction((tx) =>
      onceEach(tx, processedEvents, 'g1', [fresh1, seen, fresh2]),
    )
    expect([...recorded].sort()).toEqual([fresh1, fresh2].sort())
    const again = await database.db.transaction((tx) =>
      onceEach(tx, processedEvents, 'g1', [fresh1, fresh2]),
    )
    expect(again.size).toBe(0)
    expect(await database.db.transaction((tx) => onceEach(tx, processedEvents, 'g1', []))).toEqual(
      new Set(),
    )
  })

  it('forgets the record when the handler transaction rolls back', async () => {
    const eventId = crypto.randomUUID()
    await expect(
      database.db.transaction(async (tx) => {
        await once(tx, processedEvents, 'g1', eventId)
        throw new Error('handler failed')
      }),
    ).rejects.toThrow('handler failed')
    const rows = await database.db
      .select()
      .from(processedEvents)
      .where(and(eq(processedEvents.consumer, 'g1'), eq(processedEvents.eventId, eventId)))
    expect(rows).toHaveLength(0)
  })
})

describe('startConsumer', () => {
  it('applies a duplicated event once and dead-letters a message that fails its schema', async () => {
    const prefix = `k${crypto.randomUUID().slice(0, 6)}-`
    const bus = createInProcessBus({
      policy: { maxAttempts: 2, backoffMs: () => 5 },
      logger: memoryLogger(),
    })
    const applied: string[] = []
    await startConsumer({
      bus,
      db: database.db,
      processed: processedEvents,
      group: 'orders-test',
      topicPrefix: prefix,
      logger: memoryLogger(),
      subscriptions: {
        'expiration.completed': async (_tx, event) => {
          applied.push(event.data.orderId)
        },
      },
    })
    const dead: BusMessage[] = []
    await bus.subscribe({
      group: 'dlq',
      topics: [`${prefix}expiration.dlq`],
      handler: async (m) => void dead.push(m),
    })
    const orderId = crypto.randomUUID()
    const event = expired(orderId)
    const value = JSON.stringify(event)
    await bus.publish(`${prefix}expiration`, [
      { key: orderId, value },
      { key: orderId, value },
      {
        key: orderId,
        value: JSON.stringify({ ...event, id: crypto.randomUUID(), data: { orderId: 'nope' } }),
      },
    ])
    await eventually(() => dead.length === 1)
    expect(applied).toEqual([orderId])
    expect(dead[0]?.headers['x-dlq-error']).toContain(
      'expiration.completed data invalid at orderId',
    )
  })

  it("dead-letters an event whose source or topic is not its subject's owner", async () => {
    const prefix = `s${crypto.randomUUID().slice(0, 6)}-`
    const bus = createInProcessBus({ logger: memoryLogger() })
    const applied: string[] = []
    await startConsumer({
      bus,
      db: database.db,
      processed: processedEvents,
      group: 'owners-test',
      topicPrefix: prefix,
      logger: memoryLogger(),
      subscriptions: {
        'expiration.completed': async (_tx, event) => void applied.push(event.data.orderId),
        'order.cancelled': async (_tx, event) => void applied.push(event.data.id),
      },
    })
    const dead: BusMessage[] = []
    await bus.subscribe({
      group: 'dlq',
      topics: [`${prefix}expiration.dlq`, `${prefix}orders.dlq`],
      handler: async (m) => void dead.push(m),
    })
    const [forged, misplaced, genuine] = [
      crypto.randomUUID(),
      crypto.randomUUID(),
      crypto.randomUUID(),
    ]
    // Orders claiming to be expiration, on expiration's topic; a real expiration event on orders'.
    const claimed = { ...expired(forged), source: 'orders' }
    await bus.publish(`${prefix}expiration`, [{ key: forged, value: JSON.stringify(claimed) }])
    await bus.publish(`${prefix}orders`, [
      { key: misplaced, value: JSON.stringify(expired(misplaced)) },
    ])
    await bus.publish(`${prefix}expiration`, [
      { key: genuine, value: JSON.stringify(expired(genuine)) },
    ])
    await eventually(() => dead.length === 2 && applied.length === 1)
    expect(applied).toEqual([genuine])
    expect(dead.map((m) => m.headers['x-dlq-error']).sort()).toEqual([
      expect.stringContaining(`expiration.completed does not belong on ${prefix}orders`),
      expect.stringContaining('expiration.completed from orders: only expiration publishes it'),
    ])
  })

  it('skips a bad message of a subject it does not handle: the group that handles it dead-letters it', async () => {
    const prefix = `u${crypto.randomUUID().slice(0, 6)}-`
    const bus = createInProcessBus({ logger: memoryLogger() })
    const applied: string[] = []
    await startConsumer({
      bus,
      db: database.db,
      processed: processedEvents,
      group: 'some-subjects-test',
      topicPrefix: prefix,
      logger: memoryLogger(),
      subscriptions: { 'order.cancelled': async (_tx, event) => void applied.push(event.data.id) },
    })
    const dead: BusMessage[] = []
    await bus.subscribe({
      group: 'dlq',
      topics: [`${prefix}orders.dlq`],
      handler: async (m) => void dead.push(m),
    })
    const ticket = { id: crypto.randomUUID() }
    const bad = (type: 'order.created' | 'order.cancelled') => ({
      ...createEnvelope('order.cancelled', { id: crypto.randomUUID(), version: 1, ticket }),
      type,
      data: { id: 'not an id' },
    })
    const good = createEnvelope('order.cancelled', { id: crypto.randomUUID(), version: 1, ticket })
    await bus.publish(`${prefix}orders`, [
      { key: ticket.id, value: JSON.stringify(bad('order.created')) },
      { key: ticket.id, value: JSON.stringify(bad('order.cancelled')) },
      { key: ticket.id, value: JSON.stringify(good) },
    ])
    await eventually(() => applied.length === 1 && dead.length > 0)
    expect(applied).toEqual([good.data.id])
    expect(dead.map((m) => m.headers['x-dlq-error'])).toEqual([
      expect.stringContaining('order.cancelled data invalid'),
    ])
  })

  it('names the bus consumer group with the topic prefix and records the plain group', async () => {
    const inner = createInProcessBus({ logger: memoryLogger() })
    const groups: string[] = []
    const bus: EventBus = {
      ...inner,
      subscribe: (o: SubscribeOptions) => {
        groups.push(o.group)
        return inner.subscribe(o)
      },
    }
    const applied: string[] = []
    await startConsumer({
      bus,
      db: database.db,
      processed: processedEvents,
      group: 'orders-prefixed',
      topicPrefix: 'bench-',
      logger: memoryLogger(),
      subscriptions: {
        'expiration.completed': async (_tx, event) => void applied.push(event.data.orderId),
      },
    })
    const orderId = crypto.randomUUID()
    const event = expired(orderId)
    await bus.publish('bench-expiration', [{ key: orderId, value: JSON.stringify(event) }])
    await eventually(() => applied.length === 1)
    expect(groups).toEqual(['bench-orders-prefixed'])
    const again = await database.db.transaction((tx) =>
      once(tx, processedEvents, 'orders-prefixed', event.id),
    )
    expect(again).toBe(false)
  })

  // On PGlite (one connection) a relay woken too early waits for the commit anyway; on a
  // PostgreSQL server it reads on another connection before the commit and finds nothing.
  it("publishes a handler's event when the consumer's transaction commits, not at the next poll", async () => {
    const prefix = `w${crypto.randomUUID().slice(0, 6)}-`
    const bus = createInProcessBus({ logger: memoryLogger() })
    const relay = createRelay({
      db: database.db,
      outbox,
      bus,
      logger: memoryLogger(),
      name: `relay-${prefix}`,
      topicPrefix: prefix,
      // No poll during the test: only the wake after commit can publish.
      pollMs: 600_000,
    })
    relay.start()
    const published: string[] = []
    await bus.subscribe({
      group: 'reader',
      topics: [`${prefix}tickets`],
      handler: async (m) => void published.push(JSON.parse(m.value).id),
    })
    const announced = createEnvelope('ticket.created', {
      id: crypto.randomUUID(),
      title: 'Show',
      price: 1000,
      userId: crypto.randomUUID(),
      status: 'available',
      orderId: null,
      version: 0,
    })
    await startConsumer({
      bus,
      db: database.db,
      processed: processedEvents,
      group: 'wake-test',
      topicPrefix: prefix,
      relay,
      logger: memoryLogger(),
      subscriptions: {
        // The event is written in the consumer's transaction, which commits after the handler
        // returns: the consumer, not the handler, wakes the relay.
        'expiration.completed': (tx) => enqueue(tx, outbox, announced),
      },
    })
    const orderId = crypto.randomUUID()
    await bus.publish(`${prefix}expiration`, [
      { key: orderId, value: JSON.stringify(expired(orderId)) },
    ])
    await eventually(() => published.includes(announced.id), {
      timeoutMs: 10_000,
      message: "the event waited for the relay's poll",
    })
    await relay.stop()
  })
})
