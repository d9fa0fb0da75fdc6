import process from 'node:process'
import { manualClock } from '@twtix/common'
import { createDatabase, type Database, rowsOf } from '@twtix/common/db'
import { createTestDatabase } from '@twtix/common/testing'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrationsFolder } from './service.ts'
import { sweep } from './sweep.ts'
import { addDue, dueRows, expiredOrderIds, ids, testDeps } from './test-support.ts'

/**
 * Two workers on one database. On PostgreSQL each has its own connection pool, as two replicas
 * would; PGlite has a single connection, so there the sweeps interleave rather than overlap.
 */
describe('two workers sweeping at once', () => {
  let database: Database
  let second: Database

  beforeAll(async () => {
    database = await createTestDatabase({ service: 'expiration', migrationsFolder })
    const url = process.env.DATABASE_URL
    if (!url) {
      second = database
      return
    }
    const [row] = rowsOf<{ name: string }>(
      await database.db.execute(sql`select current_database() as name`),
    )
    const target = new URL(url)
    target.pathname = `/${row?.name}`
    second = await createDatabase({ url: target.toString(), poolSize: 10 })
  })
  afterAll(async () => {
    if (second && second !== database) await second.close()
    await database?.close()
  })

  it('never announce the same expiry twice', async () => {
    const clock = manualClock(new Date('2026-05-01T00:00:00Z'))
    const orderIds = ids(400)
    await addDue(
      database.db,
      orderIds.map((orderId, i) => ({ orderId, dueAt: new Date(clock().getTime() - i) })),
    )
    const workers = [testDeps(database.db, clock, 10), testDeps(second.db, clock, 10)]
    // Several sweeps per worker at once, so batches really compete for the same rows.
    const counts = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => sweep(workers[i % 2] as (typeof workers)[number])),
    )

    const expired = await expiredOrderIds(database.db)
    expect(expired).toHaveLength(orderIds.length)
    expect(new Set(expired)).toEqual(new Set(orderIds))
    expect(counts.reduce((a, b) => a + b, 0)).toBe(orderIds.length)
    expect(await dueRows(database.db, orderIds)).toEqual([])
  })
})
