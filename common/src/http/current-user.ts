import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { ForbiddenError, NotAuthorizedError, TooManyRequestsError } from '../errors.ts'
import type { RateLimiter } from '../rate-limit.ts'
import type { TokenVerifier, UserPayload } from '../tokens/verifier.ts'

export const SESSION_COOKIE = 'session'

/** auth's refresh cookie (HttpOnly, sent only to the refresh route): renews the session. */
export const REFRESH_COOKIE = 'refresh'

export type AuthVariables = { currentUser: UserPayload | null }

function readToken(authorization: string | undefined, cookie: string | undefined) {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1] ?? cookie
}

/** The request's session token: `Authorization: Bearer` first, else the session cookie. */
export function sessionToken(c: Context, cookieName = SESSION_COOKIE): string | undefined {
  return readToken(c.req.header('Authorization'), getCookie(c, cookieName))
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

/** The one message a signed-in non-admin gets from an admin route. */
export const ADMINS_ONLY = 'Admins only'

/** Rejects with 401 when signed out and 403 unless the user is an admin: the guard of admin routes. */
export const requireAdmin: MiddlewareHandler<{ Variables: AuthVariables }> =
  async function requireAdmin(c, next) {
    const user = c.get('currentUser')
    if (!user) throw new NotAuthorizedError()
    if (user.role !== 'admin') throw new ForbiddenError(ADMINS_ONLY)
    await next()
  }

/** The signed-in user inside a route guarded by `requireAuth`. */
export function userOf(c: { get(key: 'currentUser'): UserPayload | null }): UserPayload {
  const user = c.get('currentUser')
  if (!user) throw new NotAuthorizedError()
  return user
}

/**
 * Limits what a signed-in user (after `requireAuth`) does: the requests whose answer `counts`
 * (an order placed, a card charged; a 404 while an event is on its way costs nothing) are
 * counted, and once `limiter` is spent the user gets 429 with Retry-After. In memory: each
 * replica keeps its own count, and requests running at the same moment may pass together.
 */
export function perUserLimit(
  limiter: RateLimiter,
  message: string,
  counts: (status: number) => boolean,
) {
  return createMiddleware<{ Variables: AuthVariables }>(async function perUserLimit(c, next) {
    const userId = userOf(c).id
    const result = limiter.check(userId)
    if (!result.allowed) throw new TooManyRequestsError(result.retryAfterSeconds, message)
    await next()
    if (counts(c.res.status)) limiter.hit(userId)
  })
}
