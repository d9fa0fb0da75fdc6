import { NotAuthorizedError } from '@twtix/common'
import { and, eq } from 'drizzle-orm'
import { sessions, users } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import {
  hashRefreshSecret,
  newRefreshSecret,
  parseRefreshCookie,
  refreshCookieValue,
} from '../session-secret.ts'
import { revokeSession } from './revoke-session.ts'
import type { Session } from './start-session.ts'

export const SESSION_ENDED = 'Session ended: sign in again'

/**
 * Two refreshes racing with one secret (two tabs) are not a theft: the loser is only refused.
 * After this a previous secret used again means someone else has it.
 */
export const REFRESH_REUSE_GRACE_MS = 10_000

/**
 * Renews the access token and replaces the refresh secret (each secret works once). A secret
 * that was already replaced, used again, revokes the session: either its owner or a thief holds
 * a copy, and neither can be told apart.
 */
export async function refreshSession(deps: Deps, cookie: string | undefined): Promise<Session> {
  const presented = parseRefreshCookie(cookie)
  if (!presented) throw new NotAuthorizedError(SESSION_ENDED)
  const now = deps.clock()
  const [row] = await deps.db
    .select({ session: sessions, email: users.email, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, presented.sessionId))
  const session = row?.session
  if (!row || !session || session.revokedAt || session.expiresAt <= now) {
    throw new NotAuthorizedError(SESSION_ENDED)
  }
  const hash = await hashRefreshSecret(presented.secret)
  if (hash !== session.refreshHash) {
    const reused = hash === session.previousRefreshHash
    const racing =
      reused && now.getTime() - (session.refreshedAt?.getTime() ?? 0) < REFRESH_REUSE_GRACE_MS
    if (reused && !racing) await revokeSession(deps, session.id, 'refresh-reused')
    throw new NotAuthorizedError(SESSION_ENDED)
  }
  const secret = newRefreshSecret()
  const [rotated] = await deps.db
    .update(sessions)
    .set({
      refreshHash: await hashRefreshSecret(secret),
      previousRefreshHash: hash,
      refreshedAt: now,
    })
    .where(and(eq(sessions.id, session.id), eq(sessions.refreshHash, hash)))
    .returning({ id: sessions.id })
  // Another refresh with the same secret won the race a moment ago.
  if (!rotated) throw new NotAuthorizedError(SESSION_ENDED)
  const user = { id: session.userId, email: row.email, role: row.role }
  const token = await deps.signer.sign(user, {
    sessionId: session.id,
    expiresAt: session.expiresAt,
  })
  return { user, token, refresh: refreshCookieValue(session.id, secret) }
}
