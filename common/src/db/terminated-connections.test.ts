import process from 'node:process'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, type Database } from './database.ts'
import { rowsOf } from './types.ts'

// postgres.js only: the server ends a connection while a query runs on it (what a PostgreSQL
// restart does to every busy connection), then the same pooled connection is used again.
const url = process.env.DATABASE_URL
if (!url) console.log('terminated-connections.test.ts skipped: set DATABASE_URL')

describe.skipIf(!url)('a connection the server terminated', () => {
  let database: Database
  let admin: Database
  beforeAll(async () => {
    database = await createDatabase({ url, poolSize: 1 })
    admin = await createDatabase({ url, poolSize: 1 })
  })
  afterAll(async () => {
    await database?.close()
    await admin?.close()
  })

  async function terminateWhileBusy() {
    const [{ pid } = { pid: 0 }] = rowsOf<{ pid: number }>(
      await database.db.execute(sql`select pg_backend_pid() as pid`),
    )
    const busy = database.db.execute(sql`select pg_sleep(10)`).then(
      () => 'finished',
      (err: { code?: string }) => `failed ${err.code ?? ''}`,
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    await admin.db.execute(sql`select pg_terminate_backend(${pid})`)
    expect(await busy).toMatch(/^failed/)
  }

  it('serves the next query instead of failing it with the old error', async () => {
    await terminateWhileBusy()
    const rows = rowsOf<{ one: number }>(await database.db.execute(sql`select 1 as one`))
    expect(rows).toEqual([{ one: 1 }])
  })

  it('begins the next transaction instead of failing it', async () => {
    await terminateWhileBusy()
    const one = await database.db.transaction(async (tx) =>
      rowsOf<{ one: number }>(await tx.execute(sql`select 1 as one`)),
    )
    expect(one).toEqual([{ one: 1 }])
  })
})
