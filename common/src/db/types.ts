import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'

/** A Drizzle database or transaction on either driver (PGlite or postgres.js). */
// biome-ignore lint/suspicious/noExplicitAny: the schema generic is erased on purpose
export type Db = PgDatabase<PgQueryResultHKT, any>

/** Rows of `db.execute()`, whose shape differs between drivers. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}
