import { createEnvelope, enqueue, inTransaction } from '@twtix/common'
import { and, eq, isNull } from 'drizzle-orm'
import { outbox, sessions } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

export type RevokeReason = 'signed-out' | 'refresh-reused'

/**
 * Ends a session: refresh refuses it, and session.revoked tells every verifying service to
 * refuse its access tokens until the last of them expires. False if it was already ended.
 */
export async function revokeSession(
  deps: Deps,
  sessionId: string,
  reason: RevokeReason,
): Promise<boolean> {
  const now = deps.clock()
  const revoked = await inTransaction(deps, async (tx) => {
    const [row] = await tx.db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
      .returning({ userId: sessions.userId, expiresAt: sessions.expiresAt })
    if (!row) return undefined
    // The last access token of the session was issued before now: it expires by then.
    const tokensEnd = new Date(
      Math.min(row.expiresAt.getTime(), now.getTime() + deps.config.TOKEN_TTL_SECONDS * 1000),
    )
    const data = { id: sessionId, userId: row.userId, expiresAt: tokensEnd.toISOString() }
    await enqueue(tx, outbox, createEnvelope('session.revoked', data))
    return tokensEnd
  })
  if (!revoked) return false
  deps.revoked.add(sessionId, revoked)
  deps.logger.info('session revoked', { sessionId, reason })
  return true
}
