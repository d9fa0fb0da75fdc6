import type { Clock, Db, Logger } from '@twtix/common'
import { and, gt, isNotNull } from 'drizzle-orm'
import { sessions } from './db/schema.ts'

export type RevokedSessions = {
  has(sessionId: string): boolean
  /** Revoked here: refused at once by this replica. */
  add(sessionId: string, until: Date): void
  /** Re-reads the sessions revoked within a token's lifetime (by other replicas of auth). */
  refresh(): Promise<void>
  start(): void
  stop(): void
}

/**
 * auth's own view of revoked sessions, for its verifier (`currentuser`): the other services
 * learn of them from session.revoked, auth from its sessions table.
 */
export function createRevokedSessions(options: {
  db: Db
  clock: Clock
  logger: Logger
  tokenTtlMs: number
  refreshMs: number
}): RevokedSessions {
  const { db, clock } = options
  const until = new Map<string, number>()
  let timer: ReturnType<typeof setInterval> | undefined

  async function refresh() {
    const now = clock().getTime()
    const rows = await db
      .select({ id: sessions.id, revokedAt: sessions.revokedAt, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(
        and(
          isNotNull(sessions.revokedAt),
          gt(sessions.revokedAt, new Date(now - options.tokenTtlMs)),
        ),
      )
    for (const [id, end] of until) if (end <= now) until.delete(id)
    for (const row of rows) {
      const end = Math.min(
        (row.revokedAt?.getTime() ?? now) + options.tokenTtlMs,
        row.expiresAt.getTime(),
      )
      if (end > now) until.set(row.id, end)
    }
  }

  return {
    has: (sessionId) => until.has(sessionId),
    add: (sessionId, end) => {
      until.set(sessionId, end.getTime())
    },
    refresh,
    start() {
      timer ??= setInterval(() => {
        refresh().catch((err) =>
          options.logger.warn('revoked sessions not refreshed; trying again', { error: err }),
        )
      }, options.refreshMs)
    },
    stop() {
      clearInterval(timer)
      timer = undefined
    },
  }
}
