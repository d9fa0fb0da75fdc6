import { eq, isNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInProcessBus } from '../bus/in-process.ts'
import type { EventBus } from '../bus/port.ts'
import type { Database } from '../db/database.ts'
import { createEnvelope } from '../events/envelope.ts'
import { memoryLogger } from '../logger.ts'
import { createFixtureDatabase } from '../testing/fixture-database.ts'
import { outbox } from '../testing/fixture-schema.ts'
import { eventually } from '../testing/test-database.ts'
import { enqueue } from './enqueue.ts'
import { createRelay } from './relay.ts'
import { inTransaction } from './transaction.ts'

let database: Database
beforeAll(async () => {
  database = await createFixtureDatabase()
})
afterAll(async () => {
  await database?.close()
})

function ticketEvent(id: string, version: number) {
  return createEnvelope(version === 0 ? 'ticket.created' : 'ticket.updated', {
    id,
    title: 'Show',
    price: 1000,
    userId: crypto.randomUUID(),
    status: 'available',
    orderId: null,
    version,
  })
}

function collect(bus: EventBus, topic: string) {
  const got: { key: string; id: string; version: number }[] = []
  void bus.subscribe({
    group: `reader-${crypto.randomUUID()}`,
    topics: [topic],
    handler: async (m) => {
      const e = JSON.parse(m.value)
      got.push({ key: m.key, id: e.id, version: e.data.version })
    },
  })
  return got
}

describe('outbox relay', () => {
  it('publishes committed rows in order, keyed by aggregate, and marks them sent', async () => {
    const prefix = `t${crypto.randomUUID().slice(0, 6)}-`
    const bus = createInProcessBus()
    const got = collect(bus, `${prefix}tickets`)
    const relay = createRelay({
      db: database.db,
      outbox,
      bus,
      logger: memoryLogger(),
      name: `relay-${prefix}`,
      topicPrefix: prefix,
    })
    const ticketId = crypto.randomUUID()
    const events = [0, 1, 2, 3].map((version) => ticketEvent(ticketId, version))
    for (const event of events)
      await inTransaction({ db: database.db }, (tx) => enqueue(tx, outbox, event))
    await relay.flush()
    await eventually(() => got.length === 4)
    expect(got.map((g) => g.id)).toEqual(events.map((e) => e.id))
    expect(new Set(got.map((g) => g.key))).toEqual(new Set([ticketId]))
    const rows = await database.db.select().from(outbox).where(eq(outbox.key, ticketId))
    expect(rows.every((r) => r.sentAt !== null)).toBe(true)
  })

  it('is woken by the transaction that enqueued, without waiting for a poll', async () => {
    const prefix = `w${crypto.randomUUID().slice(0, 6)}-`
    const bus = createInProcessBus()
    const got = collect(bus, `${prefix}tickets`)
    const relay = createRelay({
      db: database.db,
      outbox,
      bus,
      logger: memoryLogger(),
      name: `relay-${prefix}`,
      topicPrefix: prefix,
      pollMs: 3_600_000,
    })
    relay.start()
    await relay.flush()
    const event = ticketEvent(crypto.randomUUID(), 0)
    await inTransaction({ db: database.db, relay }, (tx) => enqueue(tx, outbox, event))
    await eventually(() => got.some((g) => g.id === event.id), { timeoutMs: 2000 })
    await relay.stop()
  })

  it('re-publishes, in order, what a crash mid-batch left unsent', async () => {
    const prefix = `c${crypto.randomUUID().slice(0, 6)}-`
    const real = createInProcessBus()
    const got = collect(real, `${prefix}tickets`)
    // A bus that dies after delivering two messages: the relay's transaction rolls back.
    let budget = 2
    const crashing: EventBus = {
      ...real,
      publish: async (topic, messages) => {
        for (const m of messages) {
          if (budget-- <= 0) throw new Error('process crashed')
          await real.publish(topic, [m])
        }
      },
    }
    const ticketId = crypto.randomUUID()
    const events = [0, 1, 2, 3, 4].map((version) => ticketEvent(ticketId, version))
    for (const event of events)
      await inTransaction({ db: database.db }, (tx) => enqueue(tx, outbox, event))
    const first = createRelay({
      db: database.db,
      outbox,
      bus: crashing,
      logger: memoryLogger(),
      name: `relay-${prefix}`,
      topicPrefix: prefix,
    })
    await expect(first.flush()).rejects.toThrow('process crashed')
    const unsent = await database.db.select().from(outbox).where(eq(outbox.key, ticketId))
    expect(unsent.filter((r) => r.sentAt === null)).toHaveLength(5)

    const restarted = createRelay({
      db: database.db,
      outbox,
      bus: real,
      logger: memoryLogger(),
      name: `relay-${prefix}`,
      topicPrefix: prefix,
    })
    await restarted.flush()
    await eventually(() => got.length === 7)
    // The first two went out twice (at least once); the last pass carries all five in order.
    expect(got.slice(2).map((g) => g.id)).toEqual(events.map((e) => e.id))
    const left = await database.db.select().from(outbox).where(isNull(outbox.sentAt))
    expect(left.filter((r) => r.key === ticketId)).toHaveLength(0)
  })

  it('lets one relay of two publish a row, never both', async () => {
    const prefix = `p${crypto.randomUUID().slice(0, 6)}-`
    const bus = createInProcessBus()
    const got = collect(bus, `${prefix}tickets`)
    const make = () =>
      createRelay({
        db: database.db,
        outbox,
        bus,
        logger: memoryLogger(),
        name: `relay-${prefix}`,
        topicPrefix: prefix,
        batchSize: 3,
      })
    const events = Array.from({ length: 20 }, () => ticketEvent(crypto.randomUUID(), 0))
    for (const event of events)
      await inTransaction({ db: database.db }, (tx) => enqueue(tx, outbox, event))
    const [a, b] = [make(), make()]
    await Promise.all([a.flush(), b.flush(), a.flush(), b.flush()])
    await a.flush()
    await eventually(() => got.length >= 20)
    expect(got.map((g) => g.id).sort()).toEqual(events.map((e) => e.id).sort())
  })

  it('opens no transaction for a pass that finds nothing to publish', async () => {
    const prefix = `e${crypto.randomUUID().slice(0, 6)}-`
    let transactions = 0
    const counted = new Proxy(database.db, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver)
        return (...args: Parameters<typeof target.transaction>) => {
          transactions++
          return target.transaction(...args)
        }
      },
    })
    const bus = createInProcessBus()
    const got = collect(bus, `${prefix}tickets`)
    const relay = createRelay({
      db: counted,
      outbox,
      bus,
      logger: memoryLogger(),
      name: `relay-${prefix}`,
      topicPrefix: prefix,
    })
    await relay.flush()
    transactions = 0
    expect(await relay.flush()).toBe(0)
    expect(transactions).toBe(0)
    const event = ticketEvent(crypto.randomUUID(), 0)
    await inTransaction({ db: database.db }, (tx) => enqueue(tx, outbox, event))
    expect(await relay.flush()).toBe(1)
    expect(transactions).toBe(1)
    await eventually(() => got.some((g) => g.id === event.id))
  })

  // Two relays at once need two connections: PGlite has one, so this runs on a server only.
  it.skipIf(!process.env.DATABASE_URL)(
    'publishes at once what it was woken for while another relay held the lock (PostgreSQL server)',
    async () => {
      const prefix = `l${crypto.randomUUID().slice(0, 6)}-`
      const bus = createInProcessBus()
      const got = collect(bus, `${prefix}tickets`)
      let open: () => void = () => {}
      const gate = new Promise<void>((r) => {
        open = r
      })
      // Relay a publishes slowly: it holds the lock while relay b is woken for a newer row.
      const slow: EventBus = {
        ...bus,
        publish: (topic, messages) => gate.then(() => bus.publish(topic, messages)),
      }
      let bPasses = 0
      const counted = new Proxy(database.db, {
        get(target, property, receiver) {
          if (property !== 'transaction') return Reflect.get(target, property, receiver)
          return (...args: Parameters<typeof target.transaction>) => {
            bPasses++
            return target.transaction(...args)
          }
        },
      })
      const options = {
        outbox,
        logger: memoryLogger(),
        name: `relay-${prefix}`,
        topicPrefix: prefix,
        pollMs: 600_000,
      }
      const a = createRelay({ ...options, db: database.db, bus: slow })
      const b = createRelay({ ...options, db: counted, bus })
      const [first, second] = [
        ticketEvent(crypto.randomUUID(), 0),
        ticketEvent(crypto.randomUUID(), 0),
      ]
      await inTransaction({ db: database.db, relay: a }, (tx) => enqueue(tx, outbox, first))
      await inTransaction({ db: database.db, relay: b }, (tx) => enqueue(tx, outbox, second))
      await eventually(() => bPasses > 0)
      open()
      // No poll for ten minutes: only b's prompt second look can publish the second row.
      await eventually(() => got.length >= 2, { timeoutMs: 5000 })
      expect(got.map((g) => g.id).sort()).toEqual([first.id, second.id].sort())
      await Promise.all([a.stop(), b.stop()])
    },
  )

  it('is woken only by a transaction that enqueued an event', async () => {
    let wakes = 0
    const relay = { wake: () => wakes++ }
    await inTransaction({ db: database.db, relay }, (tx) => tx.db.select().from(outbox).limit(1))
    expect(wakes).toBe(0)
    const event = ticketEvent(crypto.randomUUID(), 0)
    await inTransaction({ db: database.db, relay }, (tx) => enqueue(tx, outbox, event))
    expect(wakes).toBe(1)
  })
})
