import { gt } from 'drizzle-orm'
import { type PgSchema, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { Clock } from '../clock.ts'
import type { Db } from '../db/types.ts'
import type { Logger } from '../logger.ts'
import type { EventHandler } from '../outbox/consume.ts'
import type { Retained } from '../retention.ts'

/** Sessions auth revoked (session.revoked), kept until their last token has expired. */
export function revokedSessionsTable(schema: PgSchema) {
  return schema.table('revoked_sessions', {
    sessionId: uuid('session_id').primaryKey(),
    /** When the session's last access token expires: the row is purged after it. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }).notNull(),
  })
}

export type RevokedSessionsTable = ReturnType<typeof revokedSessionsTable>

export type Revocations = {
  /** Whether tokens of this session are refused: a lookup in memory, on every request. */
  has(sessionId: string): boolean
  /** Re-reads the table: another replica of this service may have consumed the event. */
  refresh(): Promise<void>
  /** session.revoked → a row (in the consumer's transaction) and the set in memory. */
  onSessionRevoked: EventHandler<'session.revoked'>
  /** For the retention job: rows go once their session's tokens have expired. */
  retained: Retained
  /** Refreshes every `refreshMs` until `stop`. */
  start(): void
  stop(): void
}

/**
 * The revoked sessions a verifying service knows. The replica that consumes the event knows at
 * once; the others within `refreshMs`, when they read the table again.
 */
export function createRevocations(options: {
  db: Db
  table: RevokedSessionsTable
  clock: Clock
  logger: Logger
  refreshMs: number
}): Revocations {
  const { db, table, clock, logger } = options
  const until = new Map<string, number>()
  let timer: ReturnType<typeof setInterval> | undefined

  async function refresh() {
    const now = clock()
    const rows = await db
      .select({ sessionId: table.sessionId, expiresAt: table.expiresAt })
      .from(table)
      .where(gt(table.expiresAt, now))
    for (const [sessionId, expiresAt] of until) {
      if (expiresAt <= now.getTime()) until.delete(sessionId)
    }
    for (const row of rows) until.set(row.sessionId, row.expiresAt.getTime())
  }

  return {
    has: (sessionId) => until.has(sessionId),
    refresh,
    onSessionRevoked: async (tx, event) => {
      const expiresAt = new Date(event.data.expiresAt)
      await tx.db
        .insert(table)
        .values({ sessionId: event.data.id, expiresAt, revokedAt: new Date(event.occurredAt) })
        .onConflictDoNothing()
      until.set(event.data.id, expiresAt.getTime())
    },
    retained: { table, column: table.expiresAt, keepMs: 0 },
    start() {
      timer ??= setInterval(() => {
        refresh().catch((err) =>
          logger.warn('revoked sessions not refreshed; trying again', { error: err }),
        )
      }, options.refreshMs)
    },
    stop() {
      clearInterval(timer)
      timer = undefined
    },
  }
}

/**
 * session.revoked, for a verifying service's subscriptions: recorded in its revoked sessions.
 * `deps` is read when an event comes, so the list of subscriptions can be built without any.
 */
export function onSessionRevoked(deps: {
  revocations?: Pick<Revocations, 'onSessionRevoked'>
}): EventHandler<'session.revoked'> {
  return (tx, event) => {
    if (!deps.revocations) throw new Error('session.revoked consumed without revoked sessions')
    return deps.revocations.onSessionRevoked(tx, event)
  }
}
