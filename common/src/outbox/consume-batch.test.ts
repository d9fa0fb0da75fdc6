import { eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInProcessBus } from '../bus/in-process.ts'
import type { BusMessage } from '../bus/port.ts'
import type { Database } from '../db/database.ts'
import { createEnvelope } from '../events/envelope.ts'
import { memoryLogger } from '../logger.ts'
import { createFixtureDatabase } from '../testing/fixture-database.ts'
import { outbox, processedEvents } from '../testing/fixture-schema.ts'
import { eventually } from '../testing/test-database.ts'
import { startConsumer } from './consume.ts'
import { enqueue } from './enqueue.ts'

let database: Database
beforeAll(async () => {
  database = await createFixtureDatabase()
})
afterAll(async () => {
  await database?.close()
})

const expired = (orderId: string) => createEnvelope('expiration.completed', { orderId })

/**
 * A consumer whose handler records each application in the database (an outbox row keyed by the
 * order id, committed or rolled back with the batch) and which transaction applied it.
 */
async function setup(fail: Set<string> = new Set()) {
  const prefix = `b${crypto.randomUUID().slice(0, 6)}-`
  const bus = createInProcessBus({
    policy: { maxAttempts: 2, backoffMs: () => 5 },
    logger: memoryLogger(),
  })
  const transactions = new Map<string, unknown>()
  await startConsumer({
    bus,
    db: database.db,
    processed: processedEvents,
    group: `batch-${prefix}`,
    topicPrefix: prefix,
    logger: memoryLogger(),
    subscriptions: {
      'expiration.completed': async (tx, event) => {
        transactions.set(event.data.orderId, tx.db)
        await enqueue(tx, outbox, expired(event.data.orderId))
        if (fail.has(event.data.orderId)) throw new Error('handler failed')
      },
    },
  })
  const dead: BusMessage[] = []
  await bus.subscribe({
    group: 'dlq',
    topics: [`${prefix}expiration.dlq`],
    handler: async (m) => void dead.push(m),
  })
  // One key: every message lands in one partition, waiting together.
  const publish = (values: string[]) =>
    bus.publish(
      `${prefix}expiration`,
      values.map((value) => ({ key: 'one-key', value })),
    )
  const appliedTimes = async (orderIds: string[]) => {
    const rows = await database.db
      .select({ key: outbox.key })
      .from(outbox)
      .where(inArray(outbox.key, orderIds))
    return orderIds.map((id) => rows.filter((r) => r.key === id).length)
  }
  const processedOf = (group: string) =>
    database.db.select().from(processedEvents).where(eq(processedEvents.consumer, group))
  return {
    prefix,
    group: `batch-${prefix}`,
    transactions,
    dead,
    publish,
    appliedTimes,
    processedOf,
  }
}

describe('startConsumer with messages waiting together', () => {
  it('applies them in one transaction and records them all as processed', async () => {
    const t = await setup()
    const ids = Array.from({ length: 5 }, () => crypto.randomUUID())
    await t.publish(ids.map((id) => JSON.stringify(expired(id))))

    await eventually(async () => (await t.processedOf(t.group)).length === 5)
    expect(await t.appliedTimes(ids)).toEqual([1, 1, 1, 1, 1])
    expect(new Set(ids.map((id) => t.transactions.get(id))).size).toBe(1)
  })

  it('applies a duplicate within one batch once', async () => {
    const t = await setup()
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()]
    const first = JSON.stringify(expired(a))
    await t.publish([first, JSON.stringify(expired(b)), first])

    await eventually(async () => (await t.processedOf(t.group)).length === 2)
    await new Promise((r) => setTimeout(r, 50))
    expect(await t.appliedTimes([a, b])).toEqual([1, 1])
    expect(t.transactions.get(a)).toBe(t.transactions.get(b))
  })

  it('skips an event applied in an earlier batch', async () => {
    const t = await setup()
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()]
    const first = JSON.stringify(expired(a))
    await t.publish([first])
    await eventually(async () => (await t.appliedTimes([a]))[0] === 1)
    await t.publish([first, JSON.stringify(expired(b))])

    await eventually(async () => (await t.appliedTimes([b]))[0] === 1)
    expect(await t.appliedTimes([a, b])).toEqual([1, 1])
  })

  it('applies the others once and dead-letters a poison message among them', async () => {
    const t = await setup()
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()]
    const poison = JSON.stringify({ ...expired(crypto.randomUUID()), data: { orderId: 'nope' } })
    await t.publish([JSON.stringify(expired(a)), poison, JSON.stringify(expired(b))])

    await eventually(() => t.dead.length === 1)
    await eventually(async () => (await t.processedOf(t.group)).length === 2)
    expect(await t.appliedTimes([a, b])).toEqual([1, 1])
    expect(t.dead[0]?.value).toBe(poison)
  })

  it('applies the others once and dead-letters an event whose handler keeps failing', async () => {
    const [a, bad, b] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
    const t = await setup(new Set([bad]))
    await t.publish([a, bad, b].map((id) => JSON.stringify(expired(id))))

    await eventually(() => t.dead.length === 1)
    await eventually(async () => (await t.processedOf(t.group)).length === 2)
    expect(await t.appliedTimes([a, bad, b])).toEqual([1, 0, 1])
    expect(t.dead[0]?.headers['x-dlq-error']).toContain('handler failed')
  })
})
