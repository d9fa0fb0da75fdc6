import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { manualClock, memoryLogger, requireAdmin, requireAuth } from '@twtix/common'
import type { OpenApiDocument } from '@twtix/common/openapi'
import { eventually } from '@twtix/common/testing'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { twtixDocument } from '../../embedded/api-document.ts'
import { createEmbedded, type Embedded } from '../../embedded/create-embedded.ts'
import { apiServices, embeddedDocsRoutes, mountedServices } from '../../embedded/docs-routes.ts'
import {
  documentedRoutes,
  examplesOf,
  type MountedRoute,
  mountedRoutes,
  type Operation,
  operationOf,
  responseOf,
  routeFor,
  schemaChecker,
} from '../../tools/docs/contract.ts'
import { OPENAPI_FILE } from '../../tools/docs/generate.ts'
import { apiClient } from '../e2e/client.ts'
import { marketplaceStory } from '../e2e/story.ts'

const HOLD_SECONDS = 60
const ADMIN_EMAIL = `admin-${crypto.randomUUID().slice(0, 8)}@example.test`
const clock = manualClock(new Date())
let embedded: Embedded
let document: OpenApiDocument

beforeAll(async () => {
  embedded = await createEmbedded({
    env: { ORDER_HOLD_SECONDS: String(HOLD_SECONDS), ADMIN_EMAILS: ADMIN_EMAIL },
    clock,
    logger: memoryLogger('warn'),
    policy: { maxAttempts: 20, backoffMs: () => 20 },
  })
  document = await twtixDocument(mountedServices(embedded.services))
})
afterAll(async () => {
  await embedded?.stop()
})

function routesOfApps() {
  const all = apiServices(embedded.services).flatMap(
    (service) => (service.app as unknown as { routes: MountedRoute[] }).routes,
  )
  return mountedRoutes(all)
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document)
    expect(result.errors).toBeUndefined()
    expect(result.valid).toBe(true)
  })

  it('is what is committed in docs/generated (npm run docs:build)', () => {
    const committed = readFileSync(resolve(import.meta.dirname, '../..', OPENAPI_FILE), 'utf8')
    expect(JSON.parse(committed), 'run `npm run docs:build` and commit the result').toEqual(
      document,
    )
  })

  it('documents every route the services mount, and no other', () => {
    const mounted = [...routesOfApps().keys()].sort()
    expect(documentedRoutes(document).sort()).toEqual(mounted)
    // Served by tickets under orders' prefix: in the merged document once, with orders' routes.
    const orderTicket = documentedRoutes(document).filter((r) => r.endsWith('/ticket'))
    expect(orderTicket).toEqual(['GET /api/orders/{id}/ticket'])
  })

  it('asks for a session exactly where the route requires one', () => {
    for (const [route, handlers] of routesOfApps()) {
      const security = operationOf(document, route)?.security ?? []
      const required = security.length > 0 && security.every((s) => Object.keys(s).length > 0)
      const guarded: unknown[] = [requireAuth, requireAdmin]
      expect(required, route).toBe(handlers.some((h) => guarded.includes(h)))
      if (required) expect(security, route).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }])
    }
  })

  it('documents Idempotency-Key exactly where the route honours it', () => {
    for (const [route, handlers] of routesOfApps()) {
      const parameters = operationOf(document, route)?.parameters ?? []
      const documented = parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')
      expect(documented, route).toBe(handlers.some((h) => h.name === 'idempotent'))
    }
  })

  it('gives every operation a summary, a tag, an example of its success and the error shape', () => {
    for (const route of documentedRoutes(document)) {
      const operation = operationOf(document, route) as Operation & {
        summary?: string
        tags?: string[]
      }
      expect(operation.summary, route).toBeTruthy()
      expect(operation.tags, route).toHaveLength(1)
      const statuses = Object.keys(operation.responses ?? {})
      expect(statuses, route).toContain('500')
      for (const status of statuses) {
        const response = responseOf(document, operation, Number(status))
        const media = response?.content?.['application/json']
        if (Number(status) === 204) continue
        expect(media?.example ?? media?.examples, `${route} ${status} example`).toBeDefined()
        if (Number(status) >= 400) {
          expect(media?.schema, `${route} ${status}`).toEqual({
            $ref: '#/components/schemas/Error',
          })
        }
      }
    }
  })

  it('has examples that match their schemas', () => {
    const check = schemaChecker(document)
    const wrong = examplesOf(document).flatMap(({ where, schema, value }) =>
      check(schema, value).map((error) => `${where}: ${error}`),
    )
    expect(wrong).toEqual([])
  })
})

describe('the embedded start’s documentation routes', () => {
  it('serves the merged document at /api/openapi.json and Swagger UI at /api/docs', async () => {
    const root = new Hono().route('/api', embeddedDocsRoutes(embedded.services))
    const res = await root.request('/api/openapi.json')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(document)
    const page = await root.request('/api/docs')
    expect(await page.text()).toContain('src="/api/docs/swagger-ui-bundle.js"')
  })
})

type Exchange = { method: string; path: string; status: number; type: string; body: string }

describe('the end-to-end story, against the document', () => {
  it('gets only documented statuses and bodies that match their schemas', async () => {
    const exchanges: Exchange[] = []
    const recording = async (request: Request) => {
      const res = await embedded.fetch(request)
      const body = await res.clone().text()
      const { pathname } = new URL(request.url)
      const type = res.headers.get('Content-Type') ?? ''
      exchanges.push({ method: request.method, path: pathname, status: res.status, type, body })
      return res
    }
    const api = apiClient(recording, 'http://twtix.test')
    await marketplaceStory(api, {
      expireHold: () => clock.advance((HOLD_SECONDS + 1) * 1000),
      timeoutMs: 10_000,
    })
    await theRestOfTheApi(api)

    const check = schemaChecker(document)
    const problems: string[] = []
    const answered = new Set<string>()
    for (const x of exchanges) {
      const route = routeFor(document, x.method, x.path)
      const operation = route && operationOf(document, route)
      const response = operation && responseOf(document, operation, x.status)
      const where = `${x.method} ${x.path} → ${x.status}`
      if (!route || !operation) problems.push(`${where}: no such route in the document`)
      else if (!response) problems.push(`${where}: status not documented for ${route}`)
      else {
        if (x.status < 300) answered.add(route)
        const media = response.content?.['application/json']
        if (!media?.schema) {
          if (x.body !== '') problems.push(`${where}: a body where none is documented`)
        } else if (!x.type.startsWith('application/json')) {
          problems.push(`${where}: Content-Type ${x.type}`)
        } else {
          for (const error of check(media.schema, JSON.parse(x.body))) {
            problems.push(`${where}: ${error} in ${x.body.slice(0, 200)}`)
          }
        }
      }
    }
    expect(problems).toEqual([])
    // Every route answered with success at least once, except Stripe's (no webhook secret here).
    const unanswered = documentedRoutes(document).filter((r) => !answered.has(r))
    expect(unanswered).toEqual(['POST /api/payments/webhook'])
  })
})

/** What the story does not call: signing in, refreshing and out, the keys, an edit, a cancel, some errors. */
/** Repeats `call` until it answers `status` (a service catching up on an event), and returns that answer. */
const answers = <R extends { status: number }>(status: number, call: () => Promise<R>) =>
  eventually(
    async () => {
      const res = await call()
      return res.status === status && res
    },
    { timeoutMs: 10_000, message: `never answered ${status}` },
  )

async function theRestOfTheApi(api: ReturnType<typeof apiClient>) {
  const email = `tour-${crypto.randomUUID().slice(0, 8)}@example.test`
  const password = 'correct horse battery'
  await api.post('/api/users/signup', { email, password })
  const signedIn = await api.post('/api/users/signin', { email, password })
  const session = signedIn.body
  const refresh = signedIn.headers.getSetCookie().find((c) => c.startsWith('refresh='))
  const cookie = { Cookie: refresh?.split(';')[0] ?? '' }
  await api.post('/api/users/refresh', {}, undefined, cookie)
  await api.post('/api/users/refresh', {}, undefined, cookie)
  await api.post('/api/users/signin', { email, password: 'wrong password' })
  await api.get('/api/users/currentuser', session.token)
  await api.get('/api/users/currentuser')
  await api.get('/api/users/.well-known/jwks.json')
  await api.post('/api/users/signout', {})

  const ticket = (await api.post('/api/tickets', { title: 'Budokan', price: 5000 }, session.token))
    .body
  await api.put(`/api/tickets/${ticket.id}`, { price: 6000 }, session.token)
  await api.put(`/api/tickets/${ticket.id}`, { price: 6000 })
  await api.post('/api/tickets', { title: '', price: 10 }, session.token)
  await api.get(`/api/tickets/${crypto.randomUUID()}`)
  await api.get('/api/tickets/not-a-uuid')
  await api.get('/api/tickets?limit=1')
  await api.get('/api/tickets?limit=1000')

  // Events: created (201), found again (200), refused; searched; one event's tickets by price.
  const startsAt = new Date(clock().getTime() + 30 * 24 * 60 * 60 * 1000).toISOString()
  const newEvent = { name: `Tour ${email}`, venue: 'Budokan', city: 'Tokyo', startsAt }
  const event = (await api.post('/api/events', newEvent, session.token)).body
  await api.post('/api/events', { ...newEvent, name: newEvent.name.toUpperCase() }, session.token)
  await api.post('/api/events', { ...newEvent, startsAt: '2001-01-01T00:00:00Z' }, session.token)
  await api.post('/api/events', newEvent)
  const listing = { eventId: event.id, faceValue: 8000, section: 'A', row: '1', seat: '2' }
  const eventTicket = (await api.post('/api/tickets', { ...listing, price: 8000 }, session.token))
    .body
  await api.post('/api/tickets', { ...listing, price: 7000 }, session.token)
  await api.post('/api/tickets', { ...listing, price: 8001 }, session.token)
  await api.get(`/api/events?q=${encodeURIComponent(newEvent.name)}&city=tokyo&limit=1`)
  await api.get('/api/events?from=someday')
  await api.get(`/api/events/${event.id}`)
  await api.get(`/api/events/${crypto.randomUUID()}`)
  await api.get('/api/events/not-a-uuid')
  await api.get(`/api/events/${event.id}/tickets?limit=1`)
  await api.get(`/api/events/${crypto.randomUUID()}/tickets`)

  const buyer = (await api.post('/api/users/signup', { email: `b-${email}`, password })).body
  const order = await answers(201, () =>
    api.post('/api/orders', { ticketId: ticket.id }, buyer.token, {
      'Idempotency-Key': `tour-${ticket.id}`,
    }),
  )
  await api.post('/api/orders', { ticketId: ticket.id }, buyer.token, {
    'Idempotency-Key': `tour-${ticket.id}`,
  })
  await api.post('/api/orders', { ticketId: crypto.randomUUID() }, buyer.token, {
    'Idempotency-Key': `tour-${ticket.id}`,
  })
  await api.delete(`/api/orders/${order.body.id}`, buyer.token)
  await api.delete(`/api/orders/${order.body.id}`, session.token)
  await api.post('/api/payments', { orderId: crypto.randomUUID(), token: '' }, buyer.token)

  // Delivery: bought and paid, pending (409), then added by the seller and fetched by the buyer.
  const delivery = `/api/tickets/${eventTicket.id}/delivery`
  await api.get(delivery, session.token)
  await api.put(delivery, { url: 'http://insecure.example' }, session.token)
  await api.put(delivery, { code: 'X' }, buyer.token)
  const paid = await answers(201, () =>
    api.post('/api/orders', { ticketId: eventTicket.id }, buyer.token),
  )
  const orderId = paid.body.id
  await answers(201, () => api.post('/api/payments', { orderId, token: 'tok_visa' }, buyer.token))
  await answers(409, () => api.get(`/api/orders/${orderId}/ticket`, buyer.token))
  await api.put(delivery, { code: 'GATE-7731' }, session.token)
  await api.get(delivery, session.token)
  await api.get(`/api/orders/${orderId}/ticket`, buyer.token)
  await api.get(`/api/orders/${orderId}/ticket`, session.token)
  await api.post('/api/payments/webhook', { id: 'evt_1' })

  // Payouts: onboarding (offline, the link completes it), the seller's list, the admins' list.
  const account = (await api.post('/api/payouts/account', {}, session.token)).body
  await api.post('/api/payouts/account', {})
  await api.get(account.url, session.token)
  await api.get('/api/payouts/account/offline-onboarding?account=nope', session.token)
  await api.get(`/api/payouts/account/offline-onboarding?account=${account.accountId}`, buyer.token)
  await api.get('/api/payouts?limit=1', session.token)
  await api.get('/api/payouts?limit=0', session.token)
  const admin = (await api.post('/api/users/signup', { email: ADMIN_EMAIL, password })).body
  await api.get('/api/payouts/all?status=held', admin.token)
  await api.get('/api/payouts/all?status=lost', admin.token)
  await api.get('/api/payouts/all', session.token)
  // Admins: a paid order of the event claimed and the claim resolved; the event postponed, then
  // cancelled. And refusals: a user at the admin routes, a claim by someone else.
  const seat = (await api.post('/api/tickets', { ...listing, price: 6000 }, session.token)).body
  const seatOrder = await answers(201, () =>
    api.post('/api/orders', { ticketId: seat.id }, buyer.token),
  )
  const paidId = seatOrder.body.id
  await api.post('/api/payments', { orderId: paidId, token: 'tok_visa' }, buyer.token)
  const claim = await answers(201, () =>
    api.post(`/api/orders/${paidId}/claims`, { reason: 'invalid' }, buyer.token),
  )
  await api.post(`/api/orders/${paidId}/claims`, { reason: 'invalid' }, buyer.token)
  await api.post(`/api/orders/${paidId}/claims`, { reason: 'lost' }, session.token)
  await api.get('/api/claims?status=open&limit=1', admin.token)
  await api.get('/api/claims', buyer.token)
  await api.post(`/api/claims/${claim.body.id}/resolve`, { outcome: 'release' }, buyer.token)
  await api.post(`/api/claims/${claim.body.id}/resolve`, { outcome: 'release' }, admin.token)
  await api.post(`/api/claims/${claim.body.id}/resolve`, { outcome: 'refund' }, admin.token)
  const later = new Date(clock().getTime() + 40 * 24 * 60 * 60 * 1000).toISOString()
  await api.post(`/api/events/${event.id}/postpone`, { startsAt: later }, admin.token)
  await api.post(
    `/api/events/${event.id}/postpone`,
    { startsAt: '2001-01-01T00:00:00Z' },
    admin.token,
  )
  await api.post(`/api/events/${event.id}/cancel`, {}, session.token)
  await api.post(`/api/events/${event.id}/cancel`, {}, admin.token)
  await api.post(`/api/events/${event.id}/cancel`, {}, admin.token)
  await api.post(`/api/events/${event.id}/postpone`, { startsAt: later }, admin.token)
}
