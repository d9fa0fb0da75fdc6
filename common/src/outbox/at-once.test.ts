import { eq, inArray, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.ts'
import { createEnvelope } from '../events/envelope.ts'
import { countTransactions } from '../testing/count-transactions.ts'
import { createFixtureDatabase } from '../testing/fixture-database.ts'
import { outbox, processedEvents } from '../testing/fixture-schema.ts'
import { startTestConsumer } from '../testing/test-consumer.ts'
import { eventually } from '../testing/test-database.ts'
import { atOnce } from './at-once.ts'
import { inTransaction } from './transaction.ts'

let database: Database
beforeAll(async () => {
  database = await createFixtureDatabase()
})
afterAll(async () => {
  await database?.close()
})

const p = (name: string) => sql.placeholder(name)

// A handler of expiration.completed that notes the order in a row of its own (the fixture's
// outbox table stands in for a service's table).
const noteExpiry = atOnce<'expiration.completed'>({
  write: (recorded) => sql`
    insert into ${outbox} (event_id, type, topic, key, payload)
    select ${p('orderId')}::uuid, 'noted', 'notes', ${p('orderId')}, ${p('note')} from ${recorded}`,
  values: (event) => ({ orderId: event.data.orderId, note: `expired ${event.id}` }),
})

const notes = (orderIds: string[]) =>
  database.db
    .select({ orderId: outbox.key, note: outbox.payload })
    .from(outbox)
    .where(inArray(outbox.key, orderIds))
const recordsOf = (eventId: string) =>
  database.db.select().from(processedEvents).where(eq(processedEvents.eventId, eventId))

describe('atOnce', () => {
  it('records and applies an event in one statement, and a duplicate changes nothing', async () => {
    const event = createEnvelope('expiration.completed', { orderId: crypto.randomUUID() })
    const first = await noteExpiry.atOnce(database.db, processedEvents, 'g1', event)
    const again = await noteExpiry.atOnce(database.db, processedEvents, 'g1', event)
    expect([first, again]).toEqual(['applied', 'duplicate'])
    expect(await notes([event.data.orderId])).toEqual([
      { orderId: event.data.orderId, note: `expired ${event.id}` },
    ])
    expect((await recordsOf(event.id)).map((r) => r.consumer)).toEqual(['g1'])
  })

  it('applies the same statement alone inside a transaction whose consumer recorded the event', async () => {
    const event = createEnvelope('expiration.completed', { orderId: crypto.randomUUID() })
    await inTransaction({ db: database.db }, (tx) => noteExpiry(tx, event))
    expect(await notes([event.data.orderId])).toHaveLength(1)
    expect(await recordsOf(event.id)).toEqual([])
  })

  it('is what the consumer runs for a message alone, with no transaction, once per event', async () => {
    const consumer = await startTestConsumer({
      db: database.db,
      processed: processedEvents,
      group: 'at-once-test',
      subscriptions: { 'expiration.completed': noteExpiry },
    })
    const event = createEnvelope('expiration.completed', { orderId: crypto.randomUUID() })
    const message = { key: event.data.orderId, value: JSON.stringify(event) }
    const opened = await countTransactions(database.db, async () => {
      await consumer.publish('expiration', [message])
      await eventually(async () => (await notes([event.data.orderId])).length === 1)
      // Delivered again (a redelivery after a lost commit): recorded already, nothing written.
      await consumer.publish('expiration', [message])
      await eventually(() =>
        consumer.logger.lines.some((l) => l.includes('duplicate event skipped')),
      )
    })
    expect(await notes([event.data.orderId])).toHaveLength(1)
    expect(opened).toBe(0)
    await consumer.close()
  })
})
