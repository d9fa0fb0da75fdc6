import process from 'node:process'
import { createDatabase, type Database } from '../db/database.ts'
import { migrateService } from '../db/migrate.ts'

/**
 * A fresh database for one test file: a new database on the PostgreSQL server named by
 * `DATABASE_URL` when it is set (dropped on close), else an in-memory PGlite. Either way every
 * migration of the service has run.
 */
export async function createTestDatabase(options: {
  service: string
  migrationsFolder: string
}): Promise<Database> {
  const url = process.env.DATABASE_URL
  if (!url) {
    const database = await createDatabase({})
    await migrateService(database.db, options.service, options.migrationsFolder)
    return database
  }
  const { default: postgres } = await import('postgres')
  const name = `twtix_test_${options.service}_${crypto.randomUUID().slice(0, 8)}`
  const admin = postgres(url, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const target = new URL(url)
  target.pathname = `/${name}`
  const database = await createDatabase({ url: target.toString(), poolSize: 20 })
  await migrateService(database.db, options.service, options.migrationsFolder)
  return {
    ...database,
    async close() {
      await database.close()
      await admin.unsafe(`drop database if exists "${name}" with (force)`)
      await admin.end()
    },
  }
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<Exclude<T, undefined | false>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : ''
      throw new Error(`${options.message ?? 'condition not met in time'}${why}`)
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10))
  }
}
