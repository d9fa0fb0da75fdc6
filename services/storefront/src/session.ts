import { REFRESH_COOKIE, SESSION_COOKIE } from '@twtix/common'
import { deleteCookie, getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { type ApiReply, ApiUnavailableError, apiFor, type User } from './api.ts'
import type { Deps } from './deps.ts'
import type { StorefrontContext, StorefrontEnv } from './env.ts'

/**
 * The session cookies are auth's: the storefront passes their Set-Cookie on and keeps nothing.
 * auth sends the refresh cookie to its refresh route only; the storefront renews sessions for
 * the browser, on any of its pages, so it widens that cookie's path to its own.
 */
export function passCookies(c: StorefrontContext, reply: ApiReply<unknown>) {
  for (const cookie of reply.headers.getSetCookie()) {
    const passed = cookie.startsWith(`${REFRESH_COOKIE}=`)
      ? cookie.replace(/;\s*Path=[^;]*/i, '; Path=/')
      : cookie
    c.header('Set-Cookie', passed, { append: true })
  }
}

/**
 * Gives each request the API as its user and who that user is (asked of the API, which alone
 * can verify the session). An access token that expired is renewed with the refresh cookie, and
 * the browser gets the new cookies with the page. When auth cannot answer the page is shown
 * signed out.
 */
export function session(deps: Deps) {
  return createMiddleware<StorefrontEnv>(async function session(c, next) {
    const api = apiFor(deps, c)
    c.set('api', api)
    let user: User | null = null
    try {
      if (getCookie(c, SESSION_COOKIE)) {
        const reply = await api.get<{ currentUser: User | null }>('/api/users/currentuser')
        user = reply.body?.currentUser ?? null
      }
      if (!user && getCookie(c, REFRESH_COOKIE)) user = await renew(c)
    } catch (err) {
      if (!(err instanceof ApiUnavailableError)) throw err
      deps.logger.warn('current user unknown', {
        requestId: c.get('requestId'),
        error: err.message,
      })
    }
    c.set('user', user)
    await next()
  })
}

async function renew(c: StorefrontContext): Promise<User | null> {
  const reply = await c.var.api.post<User & { token: string }>('/api/users/refresh', {})
  if (reply.status !== 200) {
    // Ended (signed out elsewhere, expired, reused): forget it rather than ask again each page.
    deleteCookie(c, REFRESH_COOKIE, { path: '/' })
    return null
  }
  passCookies(c, reply)
  c.var.api.useSession(reply.body.token)
  return { id: reply.body.id, email: reply.body.email, role: reply.body.role }
}
