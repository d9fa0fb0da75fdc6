import { SESSION_COOKIE } from '@twtix/common'
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { ApiUnavailableError, apiFor, type User } from './api.ts'
import type { Deps } from './deps.ts'
import type { StorefrontEnv } from './env.ts'

/**
 * Gives each request the API as its user and who that user is (asked of the API, which alone
 * can verify the session). When auth cannot answer the page is shown signed out.
 */
export function session(deps: Deps) {
  return createMiddleware<StorefrontEnv>(async function session(c, next) {
    const api = apiFor(deps, c)
    c.set('api', api)
    let user: User | null = null
    if (getCookie(c, SESSION_COOKIE)) {
      try {
        const reply = await api.get<{ currentUser: User | null }>('/api/users/currentuser')
        user = reply.body?.currentUser ?? null
      } catch (err) {
        if (!(err instanceof ApiUnavailableError)) throw err
        deps.logger.warn('current user unknown', {
          requestId: c.get('requestId'),
          error: err.message,
        })
      }
    }
    c.set('user', user)
    await next()
  })
}
