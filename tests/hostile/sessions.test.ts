import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callRoute } from './calls.ts'
import { createMarketplace, type Marketplace, refreshCookieOf, type User } from './marketplace.ts'
import { expectCleanError } from './responses.ts'
import { type Call, type Route, routes } from './routes.ts'
import { expectUnchanged, snapshot } from './state.ts'
import { BAD_TOKEN_NAMES, forgeTokens } from './tokens.ts'

/**
 * Sessions end: a token copied before sign-out is refused by every service that verifies
 * sessions (tickets, orders, payments, auth, and the storefront through them), and the refresh
 * route takes nothing but a current refresh secret.
 */

let market: Marketplace
let owner: User
const guarded = routes.filter((r) => ['signed-in', 'owner', 'admin'].includes(r.auth))
const calls = new Map<Route, Call>()
beforeAll(async () => {
  market = await createMarketplace()
  // An admin, so the admin routes are among those the copied token reached before.
  owner = await market.signUpAdmin()
  for (const route of guarded) calls.set(route, await route.prepare(market, owner))
  await market.settle()
})
afterAll(async () => {
  await market?.stop()
})

describe('a token copied before sign-out', () => {
  it('is refused by every route that needs a session, in every service, once revoked', async () => {
    const copied = owner.token
    const signedIn = await market.send('GET', '/api/orders', { token: copied })
    expect(signedIn.status).toBe(200)

    const out = await market.send('POST', '/api/users/signout', { token: copied })
    expect(out.status).toBe(200)
    const me = await market.send('GET', '/api/users/currentuser', { token: copied })
    expect(me.body).toEqual({ currentUser: null })

    // The services learn of it from session.revoked: within the revocation window.
    for (const route of guarded) {
      const call = calls.get(route) as Call
      const reply = await eventually(
        async () => {
          const r = await callRoute(market, route, call, { session: copied })
          return (route.surface === 'api' ? r.status === 401 : r.status === 303) && r
        },
        { timeoutMs: 10_000, intervalMs: 20, message: `${route.method} ${route.path}` },
      )
      if (route.surface === 'api') expectCleanError(reply, [401])
      else expect(reply.headers.get('Location')).toMatch(/^\/signin/)
    }
  })

  it('leaves the user’s other sessions alone', async () => {
    const user = await market.signUp('two-devices')
    const other = await market.send('POST', '/api/users/signin', {
      body: { email: user.email, password: 'correct horse battery' },
    })
    await market.send('POST', '/api/users/signout', { token: user.token })
    await market.settle()
    const res = await market.send('GET', '/api/orders', { token: other.body.token })
    expect(res.status).toBe(200)
  })
})

describe('POST /api/users/refresh', () => {
  it('takes no access token, forged or genuine, as a refresh secret, and changes nothing', async () => {
    const forged = await forgeTokens(market, owner)
    await market.settle()
    const before = await snapshot(market.db)
    const attempts = [
      ...forged.map((t) => `refresh=${t.token}`),
      `refresh=${owner.token}`,
      `session=${owner.token}`,
      'refresh=',
      `refresh=${'x'.repeat(10_000)}`,
      `refresh=${crypto.randomUUID()}.${'A'.repeat(43)}`,
    ]
    expect(forged.map((t) => t.name)).toEqual([...BAD_TOKEN_NAMES])
    for (const cookie of attempts) {
      const reply = await market.send('POST', '/api/users/refresh', { headers: { Cookie: cookie } })
      expectCleanError(reply, [401])
      const bearer = await market.send('POST', '/api/users/refresh', { token: owner.token })
      expectCleanError(bearer, [401])
    }
    expectUnchanged(before, await snapshot(market.db))
  })

  it('refuses another session’s id with a guessed secret, and leaves that session alive', async () => {
    const victim = await market.signUp('victim')
    const sessionId = victim.refresh.split('=')[1]?.split('.')[0]
    const guess = await market.send('POST', '/api/users/refresh', {
      headers: { Cookie: `refresh=${sessionId}.${'B'.repeat(43)}` },
    })
    expectCleanError(guess, [401])
    const own = await market.send('POST', '/api/users/refresh', {
      headers: { Cookie: victim.refresh },
    })
    expect(own.status).toBe(200)
    expect(refreshCookieOf(own)).not.toBe(victim.refresh)
  })
})
