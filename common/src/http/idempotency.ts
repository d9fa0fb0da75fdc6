import { and, eq, isNull, lt, or } from 'drizzle-orm'
import { integer, type PgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { createMiddleware } from 'hono/factory'
import { HTTPException } from 'hono/http-exception'
import type { Clock } from '../clock.ts'
import type { Db } from '../db/types.ts'
import { BadRequestError, ConflictError, HttpError, RequestValidationError } from '../errors.ts'
import type { AppEnv } from './service-app.ts'

/** Responses stored per user and `Idempotency-Key`, replayed for a retried request. */
export function idempotencyKeysTable(schema: PgSchema) {
  return schema.table(
    'idempotency_keys',
    {
      userId: text('user_id').notNull(),
      key: text('key').notNull(),
      requestHash: text('request_hash').notNull(),
      status: integer('status'),
      body: text('body'),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    },
    (t) => [primaryKey({ columns: [t.userId, t.key] })],
  )
}

export type IdempotencyKeysTable = ReturnType<typeof idempotencyKeysTable>

/** What an `Idempotency-Key` may be: 1 to 255 visible ASCII characters. */
export const validIdempotencyKey = (key: string) => /^[\x21-\x7e]{1,255}$/.test(key)

/** How long a stored answer serves retries with the same key. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

class IdempotencyMismatchError extends HttpError {
  readonly status = 422
}

async function sha256(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** The request never reached the endpoint: its body did not parse or was refused as invalid. */
function refusedAsMalformed(err: unknown) {
  return err instanceof RequestValidationError || (err instanceof HTTPException && err.status < 500)
}

/**
 * Honours `Idempotency-Key`: the first request runs and its response (any status below 500) is
 * stored for `ttlMs`; a retry with the same key and body gets the same response, marked
 * `Idempotent-Replayed: true`. The same key with another body is a 422; a retry while the first is
 * still running is a 409, unless it claimed the key over `abandonedAfterMs` ago without an answer:
 * its process died, and the retry runs it again. A 5xx is not stored, so the client may retry it; neither is a request
 * refused as malformed (as Stripe does), so the corrected request may reuse its key.
 */
export function idempotency(options: {
  db: Db
  table: IdempotencyKeysTable
  clock: Clock
  ttlMs?: number
  /** How long a claimed key may wait for its response before a retry may run it again. */
  abandonedAfterMs?: number
}) {
  const { db, table, clock } = options
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS
  const abandonedAfterMs = options.abandonedAfterMs ?? 60_000
  return createMiddleware<AppEnv>(async function idempotent(c, next) {
    const key = c.req.header('Idempotency-Key')
    if (key === undefined) return next()
    if (!validIdempotencyKey(key)) {
      throw new BadRequestError('Idempotency-Key must be 1 to 255 visible ASCII characters')
    }
    const userId = c.get('currentUser')?.id ?? 'anonymous'
    const requestHash = await sha256(`${c.req.method} ${c.req.path}\n${await c.req.text()}`)
    const where = and(eq(table.userId, userId), eq(table.key, key))
    const now = clock()
    // One statement claims the key: a new row, or in place of one that has expired.
    const claimed = await db
      .insert(table)
      .values({ userId, key, requestHash, createdAt: now })
      .onConflictDoUpdate({
        target: [table.userId, table.key],
        set: { requestHash, status: null, body: null, createdAt: now },
        setWhere: or(
          lt(table.createdAt, new Date(now.getTime() - ttlMs)),
          // Claimed long ago and never answered: that request died with its process (a crash, a
          // SIGKILL) and the same request may run again, or its key would be stuck for 24 hours.
          and(
            isNull(table.status),
            eq(table.requestHash, requestHash),
            lt(table.createdAt, new Date(now.getTime() - abandonedAfterMs)),
          ),
        ),
      })
      .returning({ key: table.key })
    if (claimed.length === 0) {
      const [stored] = await db.select().from(table).where(where)
      if (!stored) throw new ConflictError('A request with this Idempotency-Key is in progress')
      if (stored.requestHash !== requestHash) {
        throw new IdempotencyMismatchError('This Idempotency-Key was used with a different request')
      }
      if (stored.status === null || stored.body === null) {
        throw new ConflictError('A request with this Idempotency-Key is in progress')
      }
      c.header('Idempotent-Replayed', 'true')
      return c.body(stored.body, stored.status as 200, { 'Content-Type': 'application/json' })
    }
    try {
      await next()
    } finally {
      if (c.res.status < 500 && !refusedAsMalformed(c.error)) {
        const body = await c.res.clone().text()
        await db.update(table).set({ status: c.res.status, body }).where(where)
      } else {
        await db.delete(table).where(where)
      }
    }
  })
}
