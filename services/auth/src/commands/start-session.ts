import { sessions } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { hashRefreshSecret, newRefreshSecret, refreshCookieValue } from '../session-secret.ts'
import type { User } from './sign-up.ts'

/** What the client gets: the access token and the refresh cookie's value. */
export type Session = { user: User; token: string; refresh: string }

/** A new session for a user who proved who they are (sign-up, sign-in). */
export async function startSession(deps: Deps, user: User): Promise<Session> {
  const now = deps.clock()
  const id = crypto.randomUUID()
  const secret = newRefreshSecret()
  const expiresAt = new Date(now.getTime() + deps.config.SESSION_TTL_SECONDS * 1000)
  await deps.db.insert(sessions).values({
    id,
    userId: user.id,
    refreshHash: await hashRefreshSecret(secret),
    createdAt: now,
    expiresAt,
  })
  const token = await deps.signer.sign(user, { sessionId: id, expiresAt })
  return { user, token, refresh: refreshCookieValue(id, secret) }
}
