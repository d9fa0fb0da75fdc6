import type { OpenApiDocument } from '@twtix/common/openapi'
import { convertV2 } from 'openapi-to-postmanv2'

type Json = Record<string, unknown>
type Event = { listen: 'test' | 'prerequest'; script: { type: 'text/javascript'; exec: string[] } }
type Request = {
  method: string
  url: {
    path: string[]
    variable?: { key: string; value: string }[]
  }
  header?: { key: string; value: string; disabled?: boolean }[]
  body?: { raw?: string }
  auth?: unknown
}
type Item = { name: string; request?: Request; item?: Item[]; event?: Event[]; response?: Json[] }
export type PostmanCollection = {
  info: Json
  item: Item[]
  variable: { key: string; value: string; description?: string }[]
  auth: Json
  event?: Event[]
}

export const DEFAULT_BASE_URL = 'http://localhost:3000'

/** The request bodies and path ids of a purchase, filled from what earlier requests stored. */
const walkthrough: Record<
  string,
  { body?: Json; pathId?: string; stores?: { variable: string; from: string } }
> = {
  'POST /api/users/signup': {
    body: { email: '{{email}}', password: '{{password}}' },
    stores: { variable: 'token', from: 'token' },
  },
  'POST /api/users/signin': {
    body: { email: '{{email}}', password: '{{password}}' },
    stores: { variable: 'token', from: 'token' },
  },
  'POST /api/events': { stores: { variable: 'eventId', from: 'id' } },
  'GET /api/events/:id': { pathId: '{{eventId}}' },
  'GET /api/events/:id/tickets': { pathId: '{{eventId}}' },
  'POST /api/events/:id/cancel': { pathId: '{{eventId}}' },
  'POST /api/events/:id/postpone': { pathId: '{{eventId}}' },
  'POST /api/tickets': { stores: { variable: 'ticketId', from: 'id' } },
  'GET /api/tickets/:id': { pathId: '{{ticketId}}' },
  'PUT /api/tickets/:id': { pathId: '{{ticketId}}' },
  'POST /api/orders': {
    body: { ticketId: '{{ticketId}}' },
    stores: { variable: 'orderId', from: 'id' },
  },
  'GET /api/orders/:id': { pathId: '{{orderId}}' },
  'DELETE /api/orders/:id': { pathId: '{{orderId}}' },
  'POST /api/orders/:id/claims': {
    pathId: '{{orderId}}',
    body: { reason: 'not received' },
    stores: { variable: 'claimId', from: 'id' },
  },
  'POST /api/claims/:id/resolve': { pathId: '{{claimId}}', body: { outcome: 'refund' } },
  'POST /api/payments': { body: { orderId: '{{orderId}}', token: 'tok_visa' } },
}

const variables = [
  { key: 'baseUrl', value: DEFAULT_BASE_URL, description: 'npm start: 3000; the ingress: 8080' },
  { key: 'email', value: 'seller@example.test', description: 'Who signs up or in' },
  { key: 'password', value: 'correct horse battery', description: '8 to 128 characters' },
  { key: 'token', value: '', description: 'Set by Sign up and Sign in' },
  { key: 'eventId', value: '', description: 'Set by "Create an event, or find it"' },
  { key: 'ticketId', value: '', description: 'Set by "List a ticket for sale"' },
  { key: 'orderId', value: '', description: 'Set by "Order a ticket"' },
  { key: 'claimId', value: '', description: 'Set by "Open a claim on a paid order"' },
]

function storeScript(variable: string, from: string): Event {
  return {
    listen: 'test',
    script: {
      type: 'text/javascript',
      exec: [
        `pm.test('${variable} stored', function () {`,
        '  pm.expect(pm.response.code).to.be.below(300)',
        `  pm.collectionVariables.set('${variable}', pm.response.json().${from})`,
        '})',
      ],
    },
  }
}

function convert(document: OpenApiDocument): Promise<PostmanCollection> {
  return new Promise((resolve, reject) => {
    convertV2(
      { type: 'json', data: document },
      {
        folderStrategy: 'Tags',
        parametersResolution: 'Example',
        enableOptionalParameters: false,
        includeAuthInfoInExample: false,
        alwaysInheritAuthentication: true,
      },
      (err, result) => {
        const collection = result?.output?.[0]?.data
        if (err || !result?.result || !collection) {
          reject(new Error(`openapi-to-postmanv2: ${err?.message ?? result?.reason}`))
        } else resolve(collection as PostmanCollection)
      },
    )
  })
}

/** Postman generates random ids on import: a committed file without them stays the same. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'id' && key !== '_postman_id')
      .map(([key, inner]) => [key, withoutIds(inner)]),
  )
}

/**
 * The converter fakes a cursor's value, and not always the same one ("string", sometimes "s"); a
 * cursor comes from the previous page's Link header, so the (disabled) parameter starts empty, in
 * the requests and in their examples' requests alike.
 */
function withEmptyCursors(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withEmptyCursors)
  if (value === null || typeof value !== 'object') return value
  const cursor = (value as { key?: unknown }).key === 'cursor'
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      cursor && key === 'value' ? '' : withEmptyCursors(inner),
    ]),
  )
}

function adapt(item: Item) {
  for (const child of item.item ?? []) adapt(child)
  const request = item.request
  if (!request) return
  // No auth of its own: every request inherits the collection's bearer {{token}}.
  delete request.auth
  const route = `${request.method} /${request.url.path.join('/')}`
  for (const header of request.header ?? []) {
    if (header.key === 'Idempotency-Key') header.value = '{{$guid}}'
  }

  const step = walkthrough[route]
  if (!step) return
  if (step.body && request.body) request.body.raw = JSON.stringify(step.body, null, 2)
  for (const variable of request.url.variable ?? []) {
    if (variable.key === 'id' && step.pathId) variable.value = step.pathId
  }
  if (step.stores) item.event = [storeScript(step.stores.variable, step.stores.from)]
}

/**
 * The Postman collection of the document: one folder per tag, every request signed with the
 * collection's bearer `{{token}}`, which Sign up and Sign in store; listing a ticket stores
 * `{{ticketId}}` and ordering `{{orderId}}`, so running the requests in order buys a ticket.
 */
export async function postmanCollection(document: OpenApiDocument): Promise<PostmanCollection> {
  const collection = withEmptyCursors(withoutIds(await convert(document))) as PostmanCollection
  for (const item of collection.item) adapt(item)
  collection.variable = variables
  collection.auth = {
    type: 'bearer',
    bearer: [{ key: 'token', value: '{{token}}', type: 'string' }],
  }
  return collection
}
