import {
  type AppEnv,
  clientAddress,
  REFRESH_COOKIE,
  SESSION_COOKIE,
  sessionToken,
  TooManyRequestsError,
} from '@twtix/common'
import { serveRoutesDocument, validate } from '@twtix/common/openapi'
import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { refreshSession } from '../commands/refresh-session.ts'
import { signIn } from '../commands/sign-in.ts'
import { signOut } from '../commands/sign-out.ts'
import { signUp } from '../commands/sign-up.ts'
import { type Session, startSession } from '../commands/start-session.ts'
import type { Deps } from '../deps.ts'
import {
  currentUserDoc,
  jwksDoc,
  refreshDoc,
  signInDoc,
  signOutDoc,
  signUpDoc,
  usersInfo,
} from './docs.ts'
import { examples } from './responses.ts'
import { CredentialsBody, SigninBody } from './schemas.ts'

/** Where the refresh cookie goes, and nowhere else. */
export const REFRESH_PATH = '/api/users/refresh'

export function usersRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()

  // A generous budget per client address: it stops scripted abuse, not busy clients.
  const perAddress = createMiddleware<AppEnv>(async function limitByAddress(c, next) {
    const result = deps.limiters.address.hit(clientAddress(c, deps.config.TRUSTED_PROXIES))
    if (!result.allowed) throw new TooManyRequestsError(result.retryAfterSeconds)
    await next()
  })

  /**
   * The access token in the session cookie, which lasts as long as the session so that an
   * expired token still names it (sign-out, the storefront's refresh); the refresh secret in a
   * cookie sent to the refresh route only.
   */
  function sessionCookies(c: Context<AppEnv>, session: Session) {
    const options = {
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.config.COOKIE_SECURE,
      maxAge: deps.config.SESSION_TTL_SECONDS,
    } as const
    setCookie(c, SESSION_COOKIE, session.token, { ...options, path: '/' })
    setCookie(c, REFRESH_COOKIE, session.refresh, { ...options, path: REFRESH_PATH })
    const { id, email, role } = session.user
    return { id, email, role, token: session.token }
  }

  const credentials = { example: examples.credentials }

  routes.post(
    '/signup',
    signUpDoc,
    perAddress,
    validate('json', CredentialsBody, credentials),
    async (c) => {
      const user = await signUp(deps, c.req.valid('json'))
      return c.json(sessionCookies(c, await startSession(deps, user)), 201)
    },
  )

  routes.post(
    '/signin',
    signInDoc,
    perAddress,
    validate('json', SigninBody, credentials),
    async (c) => {
      const user = await signIn(deps, {
        ...c.req.valid('json'),
        address: clientAddress(c, deps.config.TRUSTED_PROXIES),
      })
      return c.json(sessionCookies(c, await startSession(deps, user)), 200)
    },
  )

  routes.post('/refresh', refreshDoc, perAddress, async (c) => {
    const session = await refreshSession(deps, getCookie(c, REFRESH_COOKIE))
    return c.json(sessionCookies(c, session), 200)
  })

  routes.post('/signout', signOutDoc, async (c) => {
    await signOut(deps, { token: sessionToken(c), refresh: getCookie(c, REFRESH_COOKIE) })
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.config.COOKIE_SECURE })
    deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_PATH, secure: deps.config.COOKIE_SECURE })
    return c.json({}, 200)
  })

  routes.get('/currentuser', currentUserDoc, (c) => {
    const user = c.get('currentUser')
    return c.json({
      currentUser: user ? { id: user.id, email: user.email, role: user.role } : null,
    })
  })

  routes.get('/.well-known/jwks.json', jwksDoc, async (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    return c.json(await deps.jwks())
  })

  routes.get(
    '/openapi.json',
    serveRoutesDocument(() => [routes], usersInfo),
  )

  return routes
}
