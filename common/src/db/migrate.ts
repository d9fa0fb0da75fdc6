import { sql } from 'drizzle-orm'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { type Db, rowsOf } from './types.ts'

/**
 * Applies a service's drizzle-kit migrations in one transaction. An advisory lock serialises
 * replicas starting together; the log lives in schema `drizzle`, one table per service, so the
 * services sharing one embedded database keep separate histories.
 */
export async function migrateService(db: Db, service: string, migrationsFolder: string) {
  const migrations = readMigrationFiles({ migrationsFolder })
  const log = sql.identifier(`${service}_migrations`)
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('twtix.migrate'))`)
    await tx.execute(sql`create schema if not exists drizzle`)
    await tx.execute(
      sql`create table if not exists drizzle.${log} (id serial primary key, hash text not null, created_at bigint)`,
    )
    const last = rowsOf<{ created_at: string | number }>(
      await tx.execute(sql`select created_at from drizzle.${log} order by created_at desc limit 1`),
    )[0]
    for (const migration of migrations) {
      if (last && Number(last.created_at) >= migration.folderMillis) continue
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement))
      }
      await tx.execute(
        sql`insert into drizzle.${log} (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      )
    }
  })
}
