import { eq } from 'drizzle-orm'
import { jsonb, type PgSchema, text, timestamp } from 'drizzle-orm/pg-core'
import * as v from 'valibot'
import type { Db } from '../db/types.ts'
import type { Logger } from '../logger.ts'
import type { JsonWebKeySet } from './keys.ts'

/** The last JWKS a service fetched from auth, so it keeps verifying while auth is down. */
export function authKeysTable(schema: PgSchema) {
  return schema.table('auth_keys', {
    id: text('id').primaryKey(),
    jwks: jsonb('jwks').$type<JsonWebKeySet>().notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull(),
  })
}

export type AuthKeysTable = ReturnType<typeof authKeysTable>

const Jwks = v.object({ keys: v.pipe(v.array(v.looseObject({ kty: v.string() })), v.minLength(1)) })

/**
 * Auth's public keys from its JWKS URL, written through to this service's own table; when auth
 * cannot be reached the stored copy is used. The verifier keeps them in memory between calls.
 */
export function jwksSource(options: {
  url: string
  db: Db
  table: AuthKeysTable
  logger: Logger
  timeoutMs?: number
  fetch?: typeof fetch
}): () => Promise<JsonWebKeySet> {
  const { db, table, logger } = options
  const get = options.fetch ?? fetch
  return async function loadKeys() {
    try {
      const res = await get(options.url, { signal: AbortSignal.timeout(options.timeoutMs ?? 3000) })
      if (!res.ok) throw new Error(`JWKS answered ${res.status}`)
      const jwks = v.parse(Jwks, await res.json()) as JsonWebKeySet
      await db
        .insert(table)
        .values({ id: 'auth', jwks, fetchedAt: new Date() })
        .onConflictDoUpdate({ target: table.id, set: { jwks, fetchedAt: new Date() } })
      return jwks
    } catch (err) {
      const [cached] = await db.select().from(table).where(eq(table.id, 'auth'))
      if (!cached) throw err
      logger.warn('auth keys unreachable; using the stored copy', {
        error: err,
        fetchedAt: cached.fetchedAt,
      })
      return cached.jwks
    }
  }
}
