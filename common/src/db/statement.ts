import { getTableColumns, type SQL, sql } from 'drizzle-orm'
import { PgDialect, type PgTable } from 'drizzle-orm/pg-core'
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

/**
 * `build` run at a key's first use (a database, a table) and its result kept while the key lives:
 * statements are built once, not per call.
 */
export function builtOncePer<K extends object, V>(build: (key: K) => V): (key: K) => V {
  const built = new WeakMap<K, V>()
  return (key) => {
    let value = built.get(key)
    if (value === undefined) {
      value = build(key)
      built.set(key, value)
    }
    return value
  }
}

/**
 * A row of `table` as the driver takes it, for placeholders named by its keys: placeholders skip
 * drizzle's column encoders (a timestamp goes as ISO text). An absent value is null.
 */
export function rowValues<T extends PgTable>(
  table: T,
  row: T['$inferInsert'],
): Record<string, unknown> {
  const values = row as Record<string, unknown>
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([key, column]) => {
      const value = values[key]
      return [key, value === undefined || value === null ? null : column.mapToDriverValue(value)]
    }),
  )
}

/** The placeholder `key`, cast to `column`'s type: for a value given as the driver takes it. */
export function placeholderFor(key: string, column: { getSQLType(): string }): SQL {
  return sql`${sql.placeholder(key)}::${sql.raw(column.getSQLType())}`
}
