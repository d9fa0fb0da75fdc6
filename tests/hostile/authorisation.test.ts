import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { callRoute } from './calls.ts'
import {
  BASE_URL,
  createMarketplace,
  type Marketplace,
  type Reply,
  type User,
} from './marketplace.ts'
import { expectCleanError, expectCleanPage } from './responses.ts'
import { type Call, type Route, routes } from './routes.ts'
import {
  expectUnchanged,
  idempotencyTables,
  othersIdempotencyKeys,
  type Snapshot,
  snapshot,
} from './state.ts'
import { BAD_TOKEN_NAMES, type BadToken, forgeTokens } from './tokens.ts'

/**
 * One authorisation suite over every route: no session, a broken or forged one of every kind,
 * and another user's valid session on every owner-only resource. Each is refused and changes
 * nothing; public routes treat a bad session as no session at all. First, the route table is
 * checked against what the apps mount, so no route escapes this suite or the input suites.
 */

let market: Marketplace
let victim: User
let attacker: User
let admin: User
let bad: BadToken[]
let bystanders: BadToken[]
beforeAll(async () => {
  market = await createMarketplace()
  victim = await market.signUp('victim')
  attacker = await market.signUp('attacker')
  admin = await market.signUpAdmin()
  bad = await forgeTokens(market, victim)
  bystanders = await forgeTokens(market, await market.signUp('bystander'))
})
afterAll(async () => {
  await market?.stop()
})

type Mounted = { routes: { method: string; path: string }[] }

describe('the route table', () => {
  it('lists every route the apps mount, and only those', () => {
    const mounted = new Set<string>()
    for (const service of market.embedded.services) {
      for (const route of (service.app as unknown as Mounted).routes) {
        // `app.use` middleware is mounted as ALL /*; a real route has a method of its own.
        if (route.method === 'ALL' && route.path === '/*') continue
        mounted.add(`${route.method} ${route.path}`)
      }
    }
    const listed = new Set(routes.map((r) => `${r.method} ${r.path}`))
    expect(
      [...mounted].filter((r) => !listed.has(r)),
      'mounted but not in routes.ts',
    ).toEqual([])
    expect(
      [...listed].filter((r) => !mounted.has(r)),
      'in routes.ts but not mounted',
    ).toEqual([])
    expect(listed.size, 'a route listed twice').toBe(routes.length)
  })

  it('gives every route that takes input its fields, so the input suites reach them', () => {
    for (const route of routes.filter((r) => r.path.includes(':'))) {
      expect(route.params, `${route.method} ${route.path}: params`).toBeDefined()
    }
    const bodiless = [
      '/api/users/signout',
      '/api/users/refresh',
      '/api/payments/webhook',
      '/api/payouts/account',
      '/api/events/:id/cancel',
    ]
    const writes = routes.filter(
      (r) => r.surface === 'api' && r.method !== 'GET' && r.method !== 'DELETE',
    )
    for (const route of writes.filter((r) => !bodiless.includes(r.path))) {
      expect(route.body, `${route.method} ${route.path}: body`).toBeDefined()
    }
  })

  it('serves no private key material in the JWKS', async () => {
    const res = await market.send('GET', '/api/users/.well-known/jwks.json')
    expect(res.status).toBe(200)
    expect(res.body.keys.length).toBeGreaterThan(0)
    for (const key of res.body.keys) {
      expect(
        Object.keys(key).filter((k) => ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].includes(k)),
      ).toEqual([])
    }
  })
})

const tokenOf = (name: string) => (bad.find((t) => t.name === name) as BadToken).token
const sessions = ['none', ...BAD_TOKEN_NAMES]
const sessionOf = (name: string) => (name === 'none' ? undefined : tokenOf(name))

/** A signed-out caller: the API answers 401, a page asks the visitor to sign in. */
function expectSignedOut(route: Route, reply: Reply) {
  if (route.surface === 'api') return expectCleanError(reply, [401])
  expect(reply.status, reply.text.slice(0, 300)).toBe(303)
  expect(reply.headers.get('Location')).toMatch(/^\/signin(\?|$)/)
}

/** Another user's resource: refused as not theirs (a missing one would be 404). */
function expectNotYours(route: Route, reply: Reply) {
  if (route.surface === 'api') return expectCleanError(reply, [403, 404])
  expectCleanPage(reply, [403, 404])
}

describe.each(routes.filter((r) => ['signed-in', 'owner', 'admin'].includes(r.auth)))(
  '$method $path ($auth)',
  (route) => {
    let call: Call
    let before: Snapshot
    // Who may make the call: the victim, or for an admin route an admin.
    const caller = () => (route.auth === 'admin' ? admin : victim)
    beforeAll(async () => {
      call = await route.prepare(market, caller())
      await market.settle()
    })
    beforeEach(async () => {
      before = await snapshot(market.db)
    })

    it.each(sessions)('refuses the session %s and changes nothing', async (name) => {
      const reply = await callRoute(market, route, call, { session: sessionOf(name) })
      expectSignedOut(route, reply)
      expectUnchanged(before, await snapshot(market.db))
    })

    if (route.surface === 'api') {
      it('refuses the forged tokens in the session cookie as well', async () => {
        for (const { name, token } of bad) {
          const reply = await market.send(route.method, call.path, {
            body: call.body,
            cookie: token,
          })
          expect(reply.status, name).toBe(401)
        }
        expectUnchanged(before, await snapshot(market.db))
      })

      it('refuses malformed Authorization headers and cookies', async () => {
        const authorizations = [
          'Bearer',
          'Bearer ',
          'Basic dmljdGltOnBhc3N3b3Jk',
          `Token ${victim.token}`,
          `Bearer ${victim.token} ${victim.token}`,
          `Bearer ${victim.token}.`,
          `Bearer ${victim.token.replace(/\./g, '')}`,
          `Bearer ${'A'.repeat(20_000)}`,
        ]
        for (const authorization of authorizations) {
          const reply = await market.send(route.method, call.path, {
            body: call.body,
            headers: { Authorization: authorization },
          })
          expect(reply.status, authorization.slice(0, 40)).toBe(401)
        }
        for (const cookie of ['%', '%E0%A4%A', '"', `${victim.token}%`, 'x'.repeat(4000)]) {
          const reply = await market.send(route.method, call.path, { body: call.body, cookie })
          expect(reply.status, cookie.slice(0, 40)).toBe(401)
        }
        expectUnchanged(before, await snapshot(market.db))
      })

      it('does not fall back on a valid cookie when the bearer token is bad', async () => {
        const reply = await market.send(route.method, call.path, {
          body: call.body,
          token: tokenOf('expired'),
          cookie: victim.token,
        })
        expectCleanError(reply, [401])
        expectUnchanged(before, await snapshot(market.db))
      })
    }

    if (route.auth === 'owner') {
      it('refuses another user’s valid session and changes nothing', async () => {
        const othersKeys = await othersIdempotencyKeys(market.db, attacker.id)
        const reply = await callRoute(market, route, call, { session: attacker.token })
        expectNotYours(route, reply)
        // The caller's own Idempotency-Key may keep the refusal for its retries, nothing else.
        expectUnchanged(before, await snapshot(market.db), 'the refusal', {
          except: idempotencyTables,
        })
        expect(await othersIdempotencyKeys(market.db, attacker.id)).toEqual(othersKeys)
      })
    }

    if (route.auth === 'admin') {
      it('refuses a valid session of a user who is not an admin with 403, changing nothing', async () => {
        for (const user of [victim, attacker]) {
          const reply = await callRoute(market, route, call, { session: user.token })
          if (route.surface === 'page') expectCleanPage(reply, [403])
          else {
            expectCleanError(reply, [403])
            expect(reply.body).toEqual({ errors: [{ message: 'Admins only' }] })
          }
        }
        expectUnchanged(before, await snapshot(market.db))
      })
    }

    if (route.surface === 'page' && route.method === 'POST') {
      it('refuses a form posted from another site, even with the owner’s session', async () => {
        const crossSite: Record<string, string>[] = [
          { Origin: 'https://evil.example' },
          { Origin: 'null' },
          { Origin: '' },
          { Referer: 'https://evil.example/page' },
        ]
        for (const headers of crossSite) {
          const reply = await market.send(route.method, call.path, {
            form: call.form,
            cookie: victim.token,
            headers,
          })
          expectCleanPage(reply, [403])
        }
        const bare = await market.send(route.method, call.path, {
          form: call.form,
          cookie: victim.token,
        })
        expectCleanPage(bare, [403])
        expectUnchanged(before, await snapshot(market.db))
      })
    }

    // Last: shows the call refused above was a valid one, refused for its session alone.
    it('lets its owner make the same call', async () => {
      const reply = await callRoute(market, route, call, { session: caller().token })
      expect(reply.status, reply.text.slice(0, 300)).toBe(route.success)
    })
  },
)

describe.each(routes.filter((r) => r.auth === 'admin' && r.surface === 'api'))(
  '$method $path (admin)',
  (route) => {
    let call: Call
    let before: Snapshot
    beforeAll(async () => {
      call = await route.prepare(market, await market.admin())
      await market.settle()
    })
    beforeEach(async () => {
      before = await snapshot(market.db)
    })

    it.each(sessions)('refuses the session %s and changes nothing', async (name) => {
      const reply = await callRoute(market, route, call, { session: sessionOf(name) })
      expectCleanError(reply, [401])
      expectUnchanged(before, await snapshot(market.db))
    })

    it('refuses a signed-in user who is not an admin with 403', async () => {
      const reply = await callRoute(market, route, call, { session: attacker.token })
      expectCleanError(reply, [403])
      expect(reply.body).toEqual({ errors: [{ message: 'Admins only' }] })
      expectUnchanged(before, await snapshot(market.db))
    })

    it('lets an admin make the same call', async () => {
      const reply = await callRoute(market, route, call, { session: (await market.admin()).token })
      expect(reply.status, reply.text.slice(0, 300)).toBe(route.success)
    })
  },
)

// Sign-out ends the session of a token auth signed even when it has expired (the forged
// "expired" one is signed with auth's key): a bystander's session ends there, not the victim's.
const endsSessions = (route: Route) => route.path.endsWith('/signout')

describe.each(routes.filter((r) => r.auth === 'public'))('$method $path (public)', (route) => {
  it.each(sessions)('treats the session %s as no session', async (name) => {
    const call = await route.prepare(market, victim)
    const session = endsSessions(route)
      ? bystanders.find((t) => t.name === name)?.token
      : sessionOf(name)
    const reply = await callRoute(market, route, call, { session })
    expect(reply.status, reply.text.slice(0, 300)).toBe(route.success)
    if (route.path === '/api/users/currentuser') expect(reply.body).toEqual({ currentUser: null })
  })
})

describe('owner-only data seen from another account', () => {
  it('lists only the caller’s own orders', async () => {
    await market.placeOrder(victim, await market.signUp('seller'))
    const mine = await market.send('GET', '/api/orders', { token: attacker.token })
    expect(mine.status).toBe(200)
    expect(mine.body.every((o: { userId: string }) => o.userId === attacker.id)).toBe(true)
    const theirs = await market.send('GET', '/api/orders', { token: victim.token })
    expect(theirs.body.length).toBeGreaterThan(0)
    const page = await market.send('GET', '/orders', { cookie: attacker.token })
    for (const order of theirs.body) expect(page.text).not.toContain(order.id)
  })

  it('never takes a session for the Stripe signature', async () => {
    const before = await market.settle()
    const reply = await market.send('POST', '/api/payments/webhook', {
      body: { id: 'evt_x', type: 'payment_intent.succeeded', data: { object: {} } },
      token: victim.token,
      headers: { Origin: BASE_URL },
    })
    expectCleanError(reply, [400])
    expectUnchanged(before, await snapshot(market.db))
  })
})
