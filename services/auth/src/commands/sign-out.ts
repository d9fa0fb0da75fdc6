import { eq } from 'drizzle-orm'
import { sessions } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { hashRefreshSecret, parseRefreshCookie } from '../session-secret.ts'
import { revokeSession } from './revoke-session.ts'

/**
 * Ends the session named by the access token (even one expired during the session's life) or
 * by the refresh cookie. Without either there is nothing to end: sign-out still succeeds.
 */
export async function signOut(
  deps: Deps,
  input: { token?: string; refresh?: string },
): Promise<void> {
  const sessionId =
    (await sessionOfToken(deps, input.token)) ?? (await sessionOfRefresh(deps, input.refresh))
  if (sessionId) await revokeSession(deps, sessionId, 'signed-out')
}

async function sessionOfToken(deps: Deps, token: string | undefined) {
  if (!token) return undefined
  const verified = await deps.verifier.verifySession?.(token, deps.config.SESSION_TTL_SECONDS)
  return verified?.sessionId
}

async function sessionOfRefresh(deps: Deps, refresh: string | undefined) {
  const presented = parseRefreshCookie(refresh)
  if (!presented) return undefined
  const [session] = await deps.db
    .select({ refreshHash: sessions.refreshHash, previous: sessions.previousRefreshHash })
    .from(sessions)
    .where(eq(sessions.id, presented.sessionId))
  const hash = await hashRefreshSecret(presented.secret)
  return session && (hash === session.refreshHash || hash === session.previous)
    ? presented.sessionId
    : undefined
}
