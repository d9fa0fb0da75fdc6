import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { NotAuthorizedError } from '../errors.ts'
import type { TokenVerifier, UserPayload } from '../tokens/verifier.ts'

export const SESSION_COOKIE = 'session'

export type AuthVariables = { currentUser: UserPayload | null }

function readToken(authorization: string | undefined, cookie: string | undefined) {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1] ?? cookie
}

/**
 * Sets `currentUser` from `Authorization: Bearer` or the session cookie. It never rejects: a
 * missing, expired or forged token simply leaves `currentUser` null.
 */
export function currentUser(verifier: TokenVerifier, cookieName = SESSION_COOKIE) {
  return createMiddleware<{ Variables: AuthVariables }>(async function currentUser(c, next) {
    const token = readToken(c.req.header('Authorization'), getCookie(c, cookieName))
    c.set('currentUser', token ? await verifier.verify(token) : null)
    await next()
  })
}

/** Rejects with 401 unless `currentUser` found a valid session. */
export const requireAuth: MiddlewareHandler<{ Variables: AuthVariables }> =
  async function requireAuth(c, next) {
    if (!c.get('currentUser')) throw new NotAuthorizedError()
    await next()
  }

/** The signed-in user inside a route guarded by `requireAuth`. */
export function userOf(c: { get(key: 'currentUser'): UserPayload | null }): UserPayload {
  const user = c.get('currentUser')
  if (!user) throw new NotAuthorizedError()
  return user
}
