import type { SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import type { Db } from './types.ts'

const dialect = new PgDialect()

/**
 * A statement whose SQL text is built once, its values named with `sql.placeholder`, run on any
 * database or transaction of either driver. Drizzle's own `.prepare()` binds a statement to the
 * session that made it, so it cannot serve a transaction opened per request. Placeholders skip
 * the columns' encoders: give the values as the driver takes them (a timestamp as ISO text).
 * Resolves to the rows as `db.execute` does (read them with `rowsOf`).
 */
export function statement(build: SQL) {
  const query = dialect.sqlToQuery(build)
  return (db: Db, values: Record<string, unknown>): Promise<unknown> =>
    db._.session.prepareQuery(query, undefined, undefined, false).execute(values)
}
