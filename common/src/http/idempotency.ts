import { createHash } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { integer, type PgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { HTTPException } from 'hono/http-exception'
import type { Clock } from '../clock.ts'
import { builtOncePer, statement } from '../db/statement.ts'
import { type Db, rowsOf } from '../db/types.ts'
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

export type IdempotencyOptions = {
  db: Db
  table: IdempotencyKeysTable
  clock: Clock
  ttlMs?: number
  /** How long a claimed key may wait for its response before a retry may run it again. */
  abandonedAfterMs?: number
}

class IdempotencyMismatchError extends HttpError {
  readonly status = 422
}

/**
 * Hex SHA-256 of a request. node:crypto's hash (Node and Deno alike) is synchronous and takes
 * microseconds; WebCrypto's digest is a job on the thread pool, which was 4% of the orders
 * process's CPU under the order benchmark.
 */
function sha256(text: string) {
  return createHash('sha256').update(text).digest('hex')
}

/** The request never reached the endpoint: its body did not parse or was refused as invalid. */
function refusedAsMalformed(err: unknown) {
  return err instanceof RequestValidationError || (err instanceof HTTPException && err.status < 500)
}

/**
 * Whether the answer in `c.res` is kept for retries: below 500, not refused as malformed, and not
 * a refusal for the moment only (`keptForRetries`).
 */
export function storable(c: Context) {
  const momentary = c.error instanceof HttpError && !c.error.keptForRetries
  return c.res.status < 500 && !refusedAsMalformed(c.error) && !momentary
}

const p = (name: string) => sql.placeholder(name)

function prepareStatements(table: IdempotencyKeysTable) {
  const column = (name: keyof IdempotencyKeysTable['_']['columns']) =>
    sql.identifier(table[name].name)
  return {
    // A new row, or in place of one that has expired, or of one claimed long ago and never
    // answered: that request died with its process (a crash, a SIGKILL) and the same request may
    // run again, or its key would be stuck for 24 hours.
    claim: statement(sql`
      insert into ${table} (${column('userId')}, ${column('key')}, ${column('requestHash')},
        ${column('status')}, ${column('body')}, ${column('createdAt')})
      values (${p('userId')}, ${p('key')}, ${p('requestHash')}, ${p('status')}, ${p('body')}, ${p('now')})
      on conflict (${column('userId')}, ${column('key')}) do update set
        ${column('requestHash')} = excluded.${column('requestHash')},
        ${column('status')} = excluded.${column('status')},
        ${column('body')} = excluded.${column('body')},
        ${column('createdAt')} = excluded.${column('createdAt')}
      where ${table.createdAt} < ${p('expiredBefore')}
        or (${table.status} is null and ${table.requestHash} = excluded.${column('requestHash')}
          and ${table.createdAt} < ${p('abandonedBefore')})
      returning 1 as claimed`),
    store: statement(sql`
      update ${table} set ${column('status')} = ${p('status')}, ${column('body')} = ${p('body')}
      where ${table.userId} = ${p('userId')} and ${table.key} = ${p('key')}`),
  }
}

// Built once per table, not per request.
const statementsOf = builtOncePer(prepareStatements)

/** A request carrying an `Idempotency-Key`, and how to claim the key and store its answer. */
export type KeyedRequest = ReturnType<typeof keyedRequest>

function keyedRequest(
  options: IdempotencyOptions,
  userId: string,
  key: string,
  requestHash: string,
) {
  const { table, clock } = options
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS
  const abandonedAfterMs = options.abandonedAfterMs ?? 60_000
  const where = and(eq(table.userId, userId), eq(table.key, key))
  return {
    key,
    requestHash,
    /**
     * Claims the key in one statement, a new row or in place of one that has expired, with the
     * answer already when it is known; false when another request holds it.
     */
    async claim(db: Db, answer?: { status: number; body: string }) {
      const now = clock().getTime()
      const claimed = await statementsOf(table).claim(db, {
        userId,
        key,
        requestHash,
        status: answer?.status ?? null,
        body: answer?.body ?? null,
        now: new Date(now).toISOString(),
        expiredBefore: new Date(now - ttlMs).toISOString(),
        abandonedBefore: new Date(now - abandonedAfterMs).toISOString(),
      })
      return rowsOf(claimed).length > 0
    },
    /** Stores the answer in `c.res` under the claimed key. */
    async store(db: Db, c: Context) {
      const body = await answerText(c)
      await statementsOf(table).store(db, { userId, key, status: c.res.status, body })
    },
    release: (db: Db) => db.delete(table).where(where),
    /** The answer another request stored under the key: replayed, or refused (409, 422). */
    async replay(db: Db, c: Context) {
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
    },
  }
}

/**
 * The answer's text, `c.res` left as sendable as it was. `clone()` does that too, but on Node it
 * turns the answer into two web streams, one of which the server then pipes out; read once and
 * set again as text, the answer keeps node-server's direct write.
 */
export async function answerText(c: Context): Promise<string> {
  const { status, headers } = c.res
  const body = await c.res.text()
  // Cleared first: replacing a set answer, Hono rebuilds the new one to copy the old's headers.
  c.res = undefined
  c.res = new Response(body, { status, headers })
  return body
}

/** The request's key, user and body hash; undefined without a key, 400 for an unusable one. */
export async function readKeyedRequest<E extends AppEnv>(
  c: Context<E>,
  options: IdempotencyOptions,
): Promise<KeyedRequest | undefined> {
  const key = c.req.header('Idempotency-Key')
  if (key === undefined) return undefined
  if (!validIdempotencyKey(key)) {
    throw new BadRequestError('Idempotency-Key must be 1 to 255 visible ASCII characters')
  }
  const userId = (c as unknown as Context<AppEnv>).get('currentUser')?.id ?? 'anonymous'
  const requestHash = sha256(`${c.req.method} ${c.req.path}\n${await c.req.text()}`)
  return keyedRequest(options, userId, key, requestHash)
}

/**
 * Honours `Idempotency-Key`: the first request runs and its response (any status below 500) is
 * stored for `ttlMs`; a retry with the same key and body gets the same response, marked
 * `Idempotent-Replayed: true`. The same key with another body is a 422; a retry while the first is
 * still running is a 409, unless it claimed the key over `abandonedAfterMs` ago without an answer:
 * its process died, and the retry runs it again. A 5xx is not stored, so the client may retry it; neither is a request
 * refused as malformed (as Stripe does), so the corrected request may reuse its key. The claim and
 * the stored answer are statements of their own; `idempotentTransaction` makes them part of the
 * handler's transaction.
 */
export function idempotency(options: IdempotencyOptions) {
  const { db } = options
  return createMiddleware<AppEnv>(async function idempotent(c, next) {
    const request = await readKeyedRequest(c, options)
    if (request === undefined) return next()
    if (!(await request.claim(db))) return request.replay(db, c)
    try {
      await next()
    } finally {
      if (storable(c)) await request.store(db, c)
      else await request.release(db)
    }
  })
}
