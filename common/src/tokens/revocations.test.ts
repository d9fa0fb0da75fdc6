import { sql } from 'drizzle-orm'
import { pgSchema } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { manualClock } from '../clock.ts'
import type { Database } from '../db/database.ts'
import { createEnvelope } from '../events/envelope.ts'
import { memoryLogger } from '../logger.ts'
import { inTransaction } from '../outbox/transaction.ts'
import { purgeExpired } from '../retention.ts'
import { createFixtureDatabase } from '../testing/fixture-database.ts'
import { createRevocations, revokedSessionsTable } from './revocations.ts'

const table = revokedSessionsTable(pgSchema('revocations_test'))
let database: Database
beforeAll(async () => {
  database = await createFixtureDatabase()
  await database.db.execute(sql.raw('create schema revocations_test'))
  await database.db.execute(
    sql.raw(
      'create table revocations_test.revoked_sessions (session_id uuid primary key, expires_at timestamptz not null, revoked_at timestamptz not null)',
    ),
  )
})
afterAll(async () => {
  await database?.close()
})

describe('revoked sessions', () => {
  it('are known at once by the replica that consumed the event, by the others at their refresh', async () => {
    const clock = manualClock(new Date())
    const options = { db: database.db, table, clock, logger: memoryLogger(), refreshMs: 5000 }
    const consumer = createRevocations(options)
    const other = createRevocations(options)
    const id = crypto.randomUUID()
    const expiresAt = new Date(clock().getTime() + 900_000)
    const event = createEnvelope('session.revoked', {
      id,
      userId: crypto.randomUUID(),
      expiresAt: expiresAt.toISOString(),
    })
    await inTransaction({ db: database.db }, (tx) => consumer.onSessionRevoked(tx, event))
    // A redelivery changes nothing.
    await inTransaction({ db: database.db }, (tx) => consumer.onSessionRevoked(tx, event))
    expect(consumer.has(id)).toBe(true)
    expect(other.has(id)).toBe(false)
    await other.refresh()
    expect(other.has(id)).toBe(true)

    // Once the session's last token has expired the revocation is forgotten, and purged.
    clock.advance(900_001)
    await other.refresh()
    expect(other.has(id)).toBe(false)
    expect(await purgeExpired(database.db, [other.retained], clock())).toBe(1)
  })
})
