import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inTransaction } from '../outbox/transaction.ts'
import { createFixtureDatabase } from '../testing/fixture-database.ts'
import { processedEvents } from '../testing/fixture-schema.ts'
import type { Database } from './database.ts'
import { statement } from './statement.ts'
import { rowsOf } from './types.ts'

let database: Database
beforeAll(async () => {
  database = await createFixtureDatabase()
})
afterAll(async () => {
  await database?.close()
})

const record = statement(sql`
  insert into ${processedEvents} (consumer, event_id, processed_at)
  values (${sql.placeholder('consumer')}, ${sql.placeholder('eventId')}, ${sql.placeholder('at')})
  returning event_id as "eventId"`)

const recorded = (consumer: string) =>
  database.db.select().from(processedEvents).where(eq(processedEvents.consumer, consumer))

describe('statement', () => {
  it('runs with new values each time, on the database and in a transaction, which it joins', async () => {
    const consumer = crypto.randomUUID()
    const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
    const at = '2026-12-04T10:00:00.000Z'

    const rows = rowsOf<{ eventId: string }>(
      await record(database.db, { consumer, eventId: a, at }),
    )
    await inTransaction(database, (tx) => record(tx.db, { consumer, eventId: b, at }))
    const rolledBack = inTransaction(database, async (tx) => {
      await record(tx.db, { consumer, eventId: c, at })
      throw new Error('roll back')
    })

    await expect(rolledBack).rejects.toThrow('roll back')
    expect(rows).toEqual([{ eventId: a }])
    const stored = await recorded(consumer)
    expect(stored.map((r) => r.eventId).sort()).toEqual([a, b].sort())
    expect(stored[0]?.processedAt.toISOString()).toBe(at)
  })
})
