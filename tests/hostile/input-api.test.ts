import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  extraFields,
  malformedJson,
  maybeIdempotencyKey,
  notObjectJson,
  RUNS,
} from './arbitraries.ts'
import { callRoute, fillPath, paramsOf } from './calls.ts'
import type { Field } from './fields.ts'
import { createMarketplace, type Marketplace, type Reply, type User } from './marketplace.ts'
import { expectCleanError, fieldsOf } from './responses.ts'
import { type Call, type Route, routes } from './routes.ts'
import { expectUnchanged, type Snapshot, snapshot } from './state.ts'

/**
 * Hostile input on every API route: wrong types, missing and extra fields, bad JSON, huge
 * bodies, odd unicode, malformed ids and queries. Each is a clear 4xx in the error shape and
 * changes nothing in any service's tables.
 */

let market: Marketplace
let owner: User
beforeAll(async () => {
  market = await createMarketplace()
  // An admin: the admin routes are refused to anyone else before their input is read.
  owner = await market.signUpAdmin()
})
afterAll(async () => {
  await market?.stop()
})

const apiRoutes = routes.filter((r) => r.surface === 'api' && r.auth !== 'stripe')

/** The session a route's valid call is made with: none, the admin's, or its owner's. */
async function sessionFor(route: Route) {
  if (route.auth === 'public') return undefined
  return route.auth === 'admin' ? (await market.admin()).token : owner.token
}

/** The route's valid call by its owner, with everything it needs at rest, and that state. */
function prepared(route: Route) {
  const state = { call: undefined as unknown as Call, before: {} as Snapshot }
  beforeAll(async () => {
    state.call = await route.prepare(market, route.auth === 'admin' ? await market.admin() : owner)
    await market.settle()
  })
  // Per test, so a failure in one does not fail the next.
  beforeEach(async () => {
    state.before = await snapshot(market.db)
  })
  return state
}

async function refused(
  route: Route,
  call: Call,
  before: Snapshot,
  statuses: number[],
  raw?: { text: string | ReadableStream<Uint8Array>; type: string },
): Promise<Reply> {
  const session = await sessionFor(route)
  const reply = raw
    ? await market.send(route.method, call.path, {
        raw: raw.text,
        token: session,
        headers: { 'Content-Type': raw.type, ...call.headers },
      })
    : await callRoute(market, route, call, { session })
  expectCleanError(reply, statuses)
  expectUnchanged(before, await snapshot(market.db), `${route.method} ${call.path}`)
  return reply
}

type Mutation = { kind: 'keep' } | { kind: 'missing' } | { kind: 'invalid'; value: unknown }

/** For each field: keep it, drop it (when required) or give it a value it must refuse. */
function mutations(fields: Record<string, Field>) {
  const perField = Object.fromEntries(
    Object.entries(fields).map(([name, field]) => {
      const options: fc.Arbitrary<Mutation>[] = [
        fc.constant<Mutation>({ kind: 'keep' }),
        field.invalid.map((value): Mutation => ({ kind: 'invalid', value })),
      ]
      if (field.required) options.push(fc.constant<Mutation>({ kind: 'missing' }))
      return [name, fc.oneof(...options)]
    }),
  )
  return fc
    .record(perField)
    .filter((m) => Object.values(m).some((mutation) => mutation.kind !== 'keep'))
}

const withBody = apiRoutes.filter((r) => r.body)

describe.each(withBody)('$method $path: the JSON body', (route) => {
  const state = prepared(route)
  const fields = route.body as Record<string, Field>

  it('refuses wrong, missing or out-of-range fields, naming exactly the broken ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutations(fields),
        extraFields(Object.keys(fields)),
        maybeIdempotencyKey,
        async (mutation, extra, key) => {
          const body: Record<string, unknown> = { ...extra, ...(state.call.body as object) }
          for (const [name, m] of Object.entries(mutation)) {
            if (m.kind === 'missing') delete body[name]
            if (m.kind === 'invalid') body[name] = m.value
          }
          const call = { ...state.call, body, headers: key }
          const reply = await refused(route, call, state.before, [400])
          const broken = Object.keys(mutation).filter((n) => mutation[n]?.kind !== 'keep')
          const named = fieldsOf(reply)
          expect(named.length, reply.text).toBeGreaterThan(0)
          for (const field of named) expect(broken, reply.text).toContain(field)
          if (broken.length === 1) expect(named, reply.text).toEqual(broken)
        },
      ),
      RUNS,
    )
  })

  it('refuses a body that is not a JSON object', async () => {
    await fc.assert(
      fc.asyncProperty(notObjectJson, maybeIdempotencyKey, async (value, key) => {
        const call = { ...state.call, body: value, headers: key }
        const reply = await refused(route, call, state.before, [400])
        expect(reply.body.errors).toEqual([{ message: 'Request body must be a JSON object' }])
      }),
      RUNS,
    )
  })

  it('refuses malformed JSON', async () => {
    await fc.assert(
      fc.asyncProperty(malformedJson, maybeIdempotencyKey, async (text, key) => {
        const call = { ...state.call, headers: key }
        const reply = await refused(route, call, state.before, [400], {
          text,
          type: 'application/json',
        })
        expect(reply.body.errors).toEqual([{ message: 'Malformed JSON in request body' }])
      }),
      RUNS,
    )
  })

  it('refuses a valid body not declared as JSON', async () => {
    const types = fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      'text/json',
      'application/xml',
    )
    await fc.assert(
      fc.asyncProperty(types, maybeIdempotencyKey, async (type, key) => {
        const call = { ...state.call, headers: key }
        const text = JSON.stringify(state.call.body)
        // A route that also takes files says which types it takes instead (415).
        const status = route.rawTypes ? 415 : 400
        const reply = await refused(route, call, state.before, [status], { text, type })
        if (!route.rawTypes) {
          expect(reply.body.errors).toEqual([{ message: 'Content-Type must be application/json' }])
        }
      }),
      { numRuns: 12 },
    )
  })

  it('refuses deeply nested JSON without running out of stack', async () => {
    const first = Object.keys(fields)[0] as string
    for (const text of [
      `${'['.repeat(30_000)}${']'.repeat(30_000)}`,
      `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
      `{"${first}":${'{"a":'.repeat(9_000)}1${'}'.repeat(9_000)}}`,
    ]) {
      await refused(route, state.call, state.before, [400], { text, type: 'application/json' })
    }
  })

  it('refuses a body over the limit with 413, declared or streamed', async () => {
    const huge = JSON.stringify({ ...(state.call.body as object), pad: 'x'.repeat(70_000) })
    const declared = await refused(route, state.call, state.before, [413], {
      text: huge,
      type: 'application/json',
    })
    expect(declared.body.errors).toEqual([{ message: 'Request body is too large' }])
    const chunk = new TextEncoder().encode(' '.repeat(16_384))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 64) controller.enqueue(chunk)
        else controller.close()
      },
    })
    await refused(route, state.call, state.before, [413], {
      text: stream,
      type: 'application/json',
    })
  })
})

const withRawBodies = apiRoutes.filter((r) => r.rawTypes)

describe.each(withRawBodies)('$method $path: a raw file body', (route) => {
  const state = prepared(route)
  const types = route.rawTypes as string[]
  // Bytes no PDF or PNG starts with.
  const notAFile = fc
    .uint8Array({ minLength: 1, maxLength: 2048 })
    .filter((b) => b[0] !== 0x25 && b[0] !== 0x89)

  it('refuses bytes that are not of the declared type with 415, and an empty file with 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...types), notAFile, async (type, bytes) => {
        const text = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes)
            controller.close()
          },
        })
        await refused(route, state.call, state.before, [415], { text, type })
      }),
      { numRuns: 20 },
    )
    for (const type of types) {
      await refused(route, state.call, state.before, [400], { text: '', type })
    }
  })

  it('stops reading a file past its limit: 413, declared or streamed', async () => {
    for (const type of types) {
      const chunk = new Uint8Array(256 * 1024)
      let sent = 0
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          // Endless: only a limit enforced while reading ends it.
          sent++
          controller.enqueue(chunk)
        },
      })
      await refused(route, state.call, state.before, [413], { text: stream, type })
      expect(sent).toBeLessThan(16)
    }
  })

  it('refuses a type it does not take with 415', async () => {
    for (const type of ['image/gif', 'image/jpeg', 'application/octet-stream', 'text/html']) {
      await refused(route, state.call, state.before, [415], { text: 'GIF89a', type })
    }
  })
})

const withParams = apiRoutes.filter((r) => r.params)

describe.each(withParams)('$method $path: the path', (route) => {
  const state = prepared(route)

  it('refuses a malformed id with 400 or 404', async () => {
    const fields = route.params as Record<string, Field>
    const values = fc.record(
      Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, f.invalid])),
    )
    await fc.assert(
      fc.asyncProperty(values, async (bad) => {
        const params = { ...paramsOf(route, state.call), ...(bad as Record<string, string>) }
        const call = { ...state.call, path: fillPath(route.path, params) }
        await refused(route, call, state.before, [400, 404])
      }),
      RUNS,
    )
  })
})

const withIds = withParams.filter((r) => r.path.includes(':id'))

describe.each(withIds)('$method $path: an unknown id', (route) => {
  const state = prepared(route)

  it('answers an unknown id with 404', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uuid(), async (id) => {
        const call = { ...state.call, path: fillPath(route.path, { id }) }
        await refused(route, call, state.before, [404])
      }),
      { numRuns: 15 },
    )
  })
})

const withQuery = apiRoutes.filter((r) => r.query)

describe.each(withQuery)('$method $path: the query', (route) => {
  const state = prepared(route)

  it('refuses a bad query parameter with 400 naming it', async () => {
    const fields = route.query as Record<string, Field>
    const oneBad = fc.oneof(
      ...Object.entries(fields).map(([name, field]) =>
        field.invalid.map((value) => ({ name, value: String(value) })),
      ),
    )
    await fc.assert(
      fc.asyncProperty(oneBad, async ({ name, value }) => {
        // The valid call's path parameters (an event's id), so only the query is wrong.
        const target = fillPath(route.path, paramsOf(route, state.call))
        const path = `${target}?${new URLSearchParams({ [name]: value })}`
        const reply = await refused(route, { ...state.call, path }, state.before, [400])
        expect(fieldsOf(reply)).toEqual([name])
      }),
      RUNS,
    )
  })
})

describe.each(apiRoutes.filter((r) => r.method === 'GET'))('$method $path: noise', (route) => {
  const state = prepared(route)

  it('ignores query parameters it does not know', async () => {
    const known = Object.keys(route.query ?? {})
    const noise = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !known.includes(k)),
      fc.string({ maxLength: 20 }),
      { maxKeys: 4 },
    )
    await fc.assert(
      fc.asyncProperty(noise, async (query) => {
        const join = state.call.path.includes('?') ? '&' : '?'
        const path = `${state.call.path}${join}${new URLSearchParams(query)}`
        const session = await sessionFor(route)
        const reply = await callRoute(market, route, { ...state.call, path }, { session })
        expect(reply.status, reply.text).toBe(route.success)
      }),
      { numRuns: 20 },
    )
  })
})

describe('routes that do not exist', () => {
  const templates = routes.map((r) => ({
    method: r.method,
    pattern: new RegExp(`^${r.path.replace(/:(\w+)/g, '[^/]+')}/?$`),
  }))
  const served = (method: string, path: string) =>
    templates.some(
      (t) =>
        (t.method === method || (method === 'HEAD' && t.method === 'GET')) && t.pattern.test(path),
    )
  const segment = fc.oneof(
    fc.constantFrom('api', 'users', 'tickets', 'orders', 'payments', 'webhook', '..', '.', ''),
    fc.uuid(),
    fc.stringMatching(/^[\w.~-]{1,12}$/),
  )
  const request = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
    path: fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/api/${s.join('/')}`),
  })

  it('answer 404 (or 405) in the error shape, changing nothing', async () => {
    const before = await market.settle()
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path }) => {
        const resolved = new URL(path, 'http://x').pathname
        fc.pre(resolved.startsWith('/api/') && !served(method, resolved))
        const body = method === 'GET' ? undefined : {}
        const reply = await market.send(method, path, { body, token: owner.token })
        expectCleanError(reply, [404, 405])
        expectUnchanged(before, await snapshot(market.db), `${method} ${path}`)
      }),
      RUNS,
    )
  })
})

/** `/api/docs/toString` once read a file named after Object.prototype.toString: a 500. */
describe('GET /api/docs/:file with the name of a built-in property', () => {
  it('is a 404 in the error shape', async () => {
    for (const file of ['toString', '__proto__', 'constructor']) {
      expectCleanError(await market.send('GET', `/api/docs/${file}`), [404])
    }
  })
})
