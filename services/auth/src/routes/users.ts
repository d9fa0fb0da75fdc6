import { type AppEnv, clientAddress, SESSION_COOKIE, TooManyRequestsError } from '@twtix/common'
import { serveRoutesDocument, validate } from '@twtix/common/openapi'
import { type Context, Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { signIn } from '../commands/sign-in.ts'
import { signUp, type User } from '../commands/sign-up.ts'
import type { Deps } from '../deps.ts'
import { currentUserDoc, jwksDoc, signInDoc, signOutDoc, signUpDoc, usersInfo } from './docs.ts'
import { examples } from './responses.ts'
import { CredentialsBody, SigninBody } from './schemas.ts'

export function usersRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()

  // A generous budget per client address: it stops scripted abuse, not busy clients.
  const perAddress = createMiddleware<AppEnv>(async function limitByAddress(c, next) {
    const result = deps.limiters.address.hit(clientAddress(c, deps.config.TRUSTED_PROXIES))
    if (!result.allowed) throw new TooManyRequestsError(result.retryAfterSeconds)
    await next()
  })

  async function startSession(c: Context<AppEnv>, user: User) {
    const token = await deps.signer.sign(user)
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.config.COOKIE_SECURE,
      path: '/',
      maxAge: deps.config.TOKEN_TTL_SECONDS,
    })
    return { id: user.id, email: user.email, token }
  }

  const credentials = { example: examples.credentials }

  routes.post(
    '/signup',
    signUpDoc,
    perAddress,
    validate('json', CredentialsBody, credentials),
    async (c) => {
      const user = await signUp(deps, c.req.valid('json'))
      return c.json(await startSession(c, user), 201)
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
      return c.json(await startSession(c, user), 200)
    },
  )

  routes.post('/signout', signOutDoc, (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.config.COOKIE_SECURE })
    return c.json({}, 200)
  })

  routes.get('/currentuser', currentUserDoc, (c) => {
    const user = c.get('currentUser')
    return c.json({ currentUser: user ? { id: user.id, email: user.email } : null })
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
