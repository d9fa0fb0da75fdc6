import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { oddText } from './arbitraries.ts'
import { callRoute, fillPath, paramsOf } from './calls.ts'
import type { Field } from './fields.ts'
import { createMarketplace, type Marketplace, type User } from './marketplace.ts'
import { expectCleanPage } from './responses.ts'
import { type Call, type Route, routes } from './routes.ts'
import { expectUnchanged, type Snapshot, snapshot } from './state.ts'

/**
 * Hostile input through the storefront's pages: whatever is typed into a form or put in a URL,
 * the shop answers a page (never a 5xx, never internals), a refusal changes nothing, and a
 * redirect never leaves the site.
 */

let market: Marketplace
let owner: User
beforeAll(async () => {
  market = await createMarketplace()
  // An admin, so the admin pages read their forms rather than refuse the visitor.
  owner = await market.signUpAdmin()
})
afterAll(async () => {
  await market?.stop()
})

const pages = routes.filter((r) => r.surface === 'page')
const session = (route: Route) => (route.auth === 'public' ? undefined : owner.token)
const local = /^\/(?![/\\])/

function prepared(route: Route) {
  const state = { call: undefined as unknown as Call, before: {} as Snapshot }
  beforeAll(async () => {
    state.call = await route.prepare(market, owner)
    await market.settle()
  })
  // Per test, so a failure in one does not fail the next.
  beforeEach(async () => {
    state.before = await snapshot(market.db)
  })
  return state
}

describe.each(pages.filter((r) => r.params))('$method $path: the path', (route) => {
  const state = prepared(route)

  it('answers a malformed or unknown id with a not-found page, changing nothing', async () => {
    const bad = (route.params as Record<string, Field>).id?.invalid as fc.Arbitrary<string>
    await fc.assert(
      fc.asyncProperty(fc.oneof(bad, fc.uuid()), async (id) => {
        const params = { ...paramsOf(route, state.call), id }
        const call = { ...state.call, path: fillPath(route.path, params) }
        const reply = await callRoute(market, route, call, { session: session(route) })
        // A path the URL parser folds away ("/tickets/..") is another route's business.
        if (!new URL(call.path, 'http://x').pathname.startsWith(route.path.split('/:')[0] ?? '')) {
          expect(reply.status).toBeLessThan(500)
          return
        }
        expectCleanPage(reply, [400, 404])
        expectUnchanged(state.before, await snapshot(market.db), call.path)
      }),
      { numRuns: 30 },
    )
  })
})

describe.each(pages.filter((r) => r.form && Object.keys(r.form).length > 0))(
  '$method $path: the form',
  (route) => {
    const state = prepared(route)

    it('answers whatever is typed with a page or a local redirect; a refusal changes nothing', async () => {
      const fields = route.form as Record<string, fc.Arbitrary<string>>
      let before = state.before
      await fc.assert(
        fc.asyncProperty(fc.record(fields, { requiredKeys: [] }), async (typed) => {
          const form = { ...state.call.form } as Record<string, string>
          for (const [name, value] of Object.entries(typed))
            if (value !== undefined) form[name] = value
          const call = { ...state.call, form }
          const reply = await callRoute(market, route, call, { session: session(route) })
          if (reply.status === 303) expect(reply.headers.get('Location')).toMatch(local)
          // Done, or a declined card: an outcome recorded (the failed payment), not a refusal.
          if (reply.status === 303 || reply.status === 402) {
            before = await market.settle()
            return
          }
          expectCleanPage(reply, [400, 403, 404, 409, 429])
          expectUnchanged(before, await snapshot(market.db), JSON.stringify(typed))
        }),
        { numRuns: 30 },
      )
    })
  },
)

describe('redirects after signing in', () => {
  it('never leave the site, whatever `next` says', async () => {
    const next = fc.oneof(
      fc.constantFrom(
        '//evil.example',
        '/\\evil.example',
        '/\t/evil.example',
        'https://evil.example',
        'javascript:alert(1)',
        '/%2F%2Fevil.example',
        '\\\\evil.example',
        ' /orders',
        '/orders',
      ),
      fc.webUrl(),
      oddText({ maxLength: 12 }).map((s) => `/${s}`),
      fc.string({ maxLength: 20 }),
    )
    await fc.assert(
      fc.asyncProperty(next, async (target) => {
        const reply = await market.send('POST', '/signin', {
          form: { email: owner.email, password: 'correct horse battery', next: target },
          headers: { Origin: 'http://twtix.test' },
        })
        expect(reply.status, reply.text.slice(0, 200)).toBe(303)
        expect(reply.headers.get('Location')).toMatch(local)
      }),
      { numRuns: 20 },
    )
  })

  it('show `next` on the sign-in page only escaped', async () => {
    await fc.assert(
      fc.asyncProperty(oddText({ maxLength: 8 }), async (s) => {
        const target = `/"><script>alert(${JSON.stringify(s)})</script>`
        const reply = await market.send('GET', `/signin?next=${encodeURIComponent(target)}`)
        expect(reply.status).toBe(200)
        expect(reply.text).not.toContain('<script>alert(')
      }),
      { numRuns: 15 },
    )
  })
})

describe('GET /: the catalogue cursor', () => {
  it('starts again from the newest tickets for any cursor it did not make', async () => {
    const before = await market.settle()
    const cursor = fc.oneof(
      fc.string({ maxLength: 40 }),
      oddText({ minLength: 1, maxLength: 10 }),
      fc.constantFrom(
        Buffer.from('["0000-01-01T00:00:00.000Z","6f1c1a4e-8d1b-4f7e-9a51-3f0f4c2b9d10"]').toString(
          'base64url',
        ),
      ),
    )
    await fc.assert(
      fc.asyncProperty(cursor, async (value) => {
        const reply = await market.send('GET', `/?${new URLSearchParams({ cursor: value })}`)
        if (reply.status === 303) expect(reply.headers.get('Location')).toBe('/')
        else expect(reply.status, reply.text.slice(0, 200)).toBe(200)
        expectUnchanged(before, await snapshot(market.db))
      }),
      { numRuns: 30 },
    )
  })
})

/**
 * A form sent again with its Idempotency-Key but other values (the browser's back button, a
 * second click after changing the card): the API answers 422 (or 409 while the first runs); the
 * page says the form was already sent instead of failing with a 500.
 */
describe('a form sent again with its key and other values', () => {
  const post = (path: string, form: Record<string, string>) =>
    market.send('POST', path, {
      form,
      cookie: owner.token,
      headers: { Origin: 'http://twtix.test' },
    })

  it('the payment form answers a page, not a 500', async () => {
    const { order } = await market.placeOrder(owner, await market.signUp('seller'))
    const idempotencyKey = crypto.randomUUID()
    const path = `/orders/${order.id}/pay`
    expect((await post(path, { token: 'tok_chargeDeclined', idempotencyKey })).status).toBe(402)
    expectCleanPage(await post(path, { token: 'tok_visa', idempotencyKey }), [409, 422])
  })

  it('the buy form answers a page, not a 500', async () => {
    const seller = await market.signUp('seller')
    const [first, second] = [await market.listTicket(seller), await market.listTicket(seller)]
    await market.settle()
    const idempotencyKey = crypto.randomUUID()
    expect((await post(`/tickets/${first.id}/buy`, { idempotencyKey })).status).toBe(303)
    expectCleanPage(await post(`/tickets/${second.id}/buy`, { idempotencyKey }), [409, 422])
  })
})
