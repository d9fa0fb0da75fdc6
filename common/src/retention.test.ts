import { eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from './db/database.ts'
import { purgeExpired, RETENTION, type Retained } from './retention.ts'
import { createFixtureDatabase } from './testing/fixture-database.ts'
import { outbox, processedEvents } from './testing/fixture-schema.ts'

let database: Database
beforeAll(async () => {
  database = await createFixtureDatabase()
})
afterAll(async () => {
  await database?.close()
})

const DAY = 86_400_000

describe('purgeExpired', () => {
  it('deletes processed events and sent outbox rows past their retention, and nothing else', async () => {
    const db = database.db
    const now = new Date()
    const ago = (days: number) => new Date(now.getTime() - days * DAY)
    const [oldRecord, newRecord] = [crypto.randomUUID(), crypto.randomUUID()]
    await db.insert(processedEvents).values([
      { consumer: 'retention-test', eventId: oldRecord, processedAt: ago(15) },
      { consumer: 'retention-test', eventId: newRecord, processedAt: ago(13) },
    ])
    const row = (sentAt: Date | null, createdAt: Date) => ({
      eventId: crypto.randomUUID(),
      type: 'expiration.completed',
      topic: 'expiration',
      key: 'k',
      payload: '{}',
      createdAt,
      sentAt,
    })
    const rows = [row(ago(20), ago(20)), row(null, ago(20)), row(ago(1), ago(1))]
    await db.insert(outbox).values(rows)
    const retained: Retained[] = [
      { table: processedEvents, column: processedEvents.processedAt, keepMs: RETENTION.events },
      { table: outbox, column: outbox.sentAt, keepMs: RETENTION.events },
    ]

    expect(await purgeExpired(db, retained, now)).toBeGreaterThanOrEqual(2)

    const records = await db
      .select({ eventId: processedEvents.eventId })
      .from(processedEvents)
      .where(eq(processedEvents.consumer, 'retention-test'))
    expect(records.map((r) => r.eventId)).toEqual([newRecord])
    const kept = await db
      .select({ eventId: outbox.eventId })
      .from(outbox)
      .where(
        inArray(
          outbox.eventId,
          rows.map((r) => r.eventId),
        ),
      )
    // The unsent row stays however old it is: the relay has yet to publish it.
    expect(kept.map((r) => r.eventId).sort()).toEqual([rows[1]?.eventId, rows[2]?.eventId].sort())
    expect(await purgeExpired(db, retained, now)).toBe(0)
  })
})
