import fc, { type Arbitrary } from 'fast-check'
import type { Field } from './fields.ts'
import {
  accountId,
  badEmail,
  boundedText,
  cardToken,
  cursor,
  deliveryCode,
  deliveryUrl,
  docsFile,
  endsAt,
  faceValue,
  idParam,
  limit,
  moment,
  notAKey,
  payoutStatus,
  price,
  searchText,
  seatPart,
  seenNumber,
  signInPassword,
  signUpEmail,
  signUpPassword,
  startsAt,
  title,
  typed,
  uuidField,
} from './fields.ts'
import type { Marketplace, User } from './marketplace.ts'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

/**
 * Who may call a route: anyone; anyone signed in (acting on their own data); the signed-in
 * owner of the resource in the path or body; an admin (ADMIN_EMAILS); or Stripe, proven by the
 * webhook signature. An admin route's `prepare` gets an admin (`market.admin()`).
 */
export type AuthKind = 'public' | 'signed-in' | 'owner' | 'admin' | 'stripe'

/**
 * `api`: JSON in and out, refusals in the `{errors:[...]}` shape, the session as a bearer token.
 * `page`: the storefront's HTML, forms posted from this origin, the session in the cookie; a
 * page asks a signed-out visitor to sign in (303) and shows refusals as error pages.
 */
export type Surface = 'api' | 'page'

/** A concrete request; the suites add the session. */
export type Call = {
  path: string
  /** A JSON body (api routes). */
  body?: unknown
  /** Form fields, sent URL-encoded (page routes). */
  form?: Record<string, string>
  headers?: Record<string, string>
}

export type Route = {
  method: Method
  /** The path template as the app mounts it. */
  path: string
  surface: Surface
  auth: AuthKind
  /** Creates what a valid call needs, owned by `owner`, and returns the call. */
  prepare(market: Marketplace, owner: User): Promise<Call>
  /** The status of that call made by its owner. */
  success: number
  /** The JSON body's fields (the suites also send no object, bad JSON, a huge body). */
  body?: Record<string, Field>
  /** Path parameters: a bad one is a 400 or a 404. */
  params?: Record<string, Field>
  /** Query parameters: a bad one is a 400 naming it. */
  query?: Record<string, Field>
  /** A page's form fields and hostile values for them: never a 5xx, a refusal changes nothing. */
  form?: Record<string, Arbitrary<string>>
  /**
   * Media types the route also takes as a raw body (a delivery file), checked by their first
   * bytes: a body of any other type that is not JSON is a 415.
   */
  rawTypes?: string[]
}

const email = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`
const PASSWORD = 'correct horse battery'

/** A ticket of someone else's, known to orders: what ordering needs. */
async function ticketForSale(market: Marketplace) {
  const seller = await market.signUp('seller')
  const ticket = await market.listTicket(seller)
  await market.settle()
  return ticket
}

/** An event starting in a month, with a name no other call uses. */
async function newEvent(market: Marketplace, owner: User) {
  const res = await market.send('POST', '/api/events', {
    body: eventBody(market),
    token: owner.token,
  })
  if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`)
  return res.body as { id: string }
}

function eventBody(market: Marketplace) {
  const startsAt = new Date(market.clock().getTime() + 30 * 24 * 60 * 60 * 1000)
  return {
    name: `Perfume ${crypto.randomUUID().slice(0, 8)}`,
    venue: 'Nippon Budokan',
    city: 'Tokyo',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3 * 60 * 60 * 1000).toISOString(),
  }
}

async function ownOrder(market: Marketplace, owner: User) {
  return (await market.placeOrder(owner, await market.signUp('seller'))).order
}

/** The owner's listed ticket with a delivery code added. */
async function deliveredTicket(market: Marketplace, owner: User) {
  const ticket = await market.listTicket(owner)
  const res = await market.send('PUT', `/api/tickets/${ticket.id}/delivery`, {
    body: { code: 'GATE-7731' },
    token: owner.token,
  })
  if (res.status !== 200) throw new Error(`delivery: ${res.status} ${res.text}`)
  return ticket
}

/** A PNG file as a request body (bytes, not text). */
function pngBody(): ReadableStream<Uint8Array> {
  const png = new Uint8Array(512)
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return new ReadableStream({
    start(controller) {
      controller.enqueue(png)
      controller.close()
    },
  })
}

/** An order the owner bought and paid for, whose seller has added a code (or a PNG file). */
async function paidOrder(market: Marketplace, owner: User, file = false) {
  const seller = await market.signUp('seller')
  const { ticket, order } = await market.placeOrder(owner, seller)
  const paid = await market.send('POST', '/api/payments', {
    body: { orderId: order.id, token: 'tok_visa' },
    token: owner.token,
  })
  if (paid.status !== 201) throw new Error(`payment: ${paid.status} ${paid.text}`)
  const added = await market.send('PUT', `/api/tickets/${ticket.id}/delivery`, {
    ...(file
      ? { raw: pngBody(), headers: { 'Content-Type': 'image/png' } }
      : { body: { code: 'GATE-7731' } }),
    token: seller.token,
  })
  if (added.status !== 200) throw new Error(`delivery: ${added.status} ${added.text}`)
  await market.settle()
  return order
}

/** An open claim on a new buyer's paid order. */
async function openClaim(market: Marketplace) {
  const buyer = await market.signUp('buyer')
  const { order } = await market.paidOrder(buyer, await market.signUp('seller'))
  const res = await market.send('POST', `/api/orders/${order.id}/claims`, {
    body: { reason: 'not received' },
    token: buyer.token,
  })
  if (res.status !== 201) throw new Error(`claim: ${res.status} ${res.text}`)
  return res.body as { id: string }
}

const claimReason: Field = {
  required: true,
  invalid: fc.oneof(
    fc.constantFrom('', 'Not received', 'not  received', 'refund', 'lost'),
    fc
      .string({ maxLength: 20 })
      .filter((s) => !['not received', 'invalid', 'not as described'].includes(s)),
    fc.integer(),
    fc.constant(null),
  ),
}

/** Optional free text of up to `max` characters (the claim's details, the admin's note). */
const optionalText = (max: number): Field => ({
  required: false,
  invalid: fc.oneof(
    fc.integer(),
    fc.constant(null),
    fc.string({ minLength: max + 1, maxLength: max * 2 }).filter((s) => [...s.trim()].length > max),
    fc.string({ maxLength: 5 }).map((s) => `a\u0000${s}`),
  ),
})

const claimOutcome: Field = {
  required: true,
  invalid: fc.oneof(
    fc.constantFrom('', 'Refund', 'refunded', 'approve'),
    fc.string({ maxLength: 10 }).filter((s) => !['refund', 'release'].includes(s)),
    fc.integer(),
    fc.constant(null),
  ),
}

const claimStatus: Field = {
  required: false,
  invalid: fc.constantFrom('', 'Open', 'closed', 'all', 'open,resolved'),
}

const api = (route: Omit<Route, 'surface'>): Route => ({ ...route, surface: 'api' })
const page = (route: Omit<Route, 'surface'>): Route => ({ ...route, surface: 'page' })
const constant = (path: string) => async (): Promise<Call> => ({ path })

/**
 * Every route the marketplace serves. The coverage test fails when an app mounts a route
 * missing here, so a new route is one more line, and every suite then runs on it.
 */
export const routes: Route[] = [
  // Every service app: liveness and readiness (the embedded root answers them for all).
  api({
    method: 'GET',
    path: '/health',
    auth: 'public',
    success: 200,
    prepare: constant('/health'),
  }),
  api({ method: 'GET', path: '/ready', auth: 'public', success: 200, prepare: constant('/ready') }),

  // auth
  api({
    method: 'POST',
    path: '/api/users/signup',
    auth: 'public',
    success: 201,
    prepare: async () => ({
      path: '/api/users/signup',
      body: { email: email('new'), password: PASSWORD },
    }),
    body: { email: signUpEmail, password: signUpPassword },
  }),
  api({
    method: 'POST',
    path: '/api/users/signin',
    auth: 'public',
    success: 200,
    prepare: async (_market, owner) => ({
      path: '/api/users/signin',
      body: { email: owner.email, password: PASSWORD },
    }),
    body: { email: { required: true, invalid: badEmail }, password: signInPassword },
  }),
  api({
    method: 'POST',
    path: '/api/users/refresh',
    auth: 'public',
    success: 200,
    // Each refresh secret works once: every call gets a new session's.
    prepare: async (market, owner) => ({
      path: '/api/users/refresh',
      headers: { Cookie: await market.freshRefresh(owner) },
    }),
  }),
  api({
    method: 'POST',
    path: '/api/users/signout',
    auth: 'public',
    success: 200,
    prepare: constant('/api/users/signout'),
  }),
  api({
    method: 'GET',
    path: '/api/users/currentuser',
    auth: 'public',
    success: 200,
    prepare: constant('/api/users/currentuser'),
  }),
  api({
    method: 'GET',
    path: '/api/users/.well-known/jwks.json',
    auth: 'public',
    success: 200,
    prepare: constant('/api/users/.well-known/jwks.json'),
  }),
  api({
    method: 'GET',
    path: '/api/users/openapi.json',
    auth: 'public',
    success: 200,
    prepare: constant('/api/users/openapi.json'),
  }),

  // The whole API's OpenAPI document and Swagger UI (served by auth's app).
  api({
    method: 'GET',
    path: '/api/openapi.json',
    auth: 'public',
    success: 200,
    prepare: constant('/api/openapi.json'),
  }),
  page({
    method: 'GET',
    path: '/api/docs',
    auth: 'public',
    success: 200,
    prepare: constant('/api/docs'),
  }),
  api({
    method: 'GET',
    path: '/api/docs/:file',
    auth: 'public',
    success: 200,
    prepare: constant('/api/docs/swagger-ui.css'),
    params: { file: docsFile },
  }),

  // tickets
  api({
    method: 'POST',
    path: '/api/tickets',
    auth: 'signed-in',
    success: 201,
    prepare: async () => ({ path: '/api/tickets', body: { title: 'Zepp Haneda', price: 7000 } }),
    body: {
      title,
      price,
      eventId: { ...uuidField, required: false },
      faceValue,
      section: seatPart,
      row: seatPart,
      seat: seatPart,
    },
  }),
  api({
    method: 'GET',
    path: '/api/tickets',
    auth: 'public',
    success: 200,
    prepare: constant('/api/tickets?limit=5'),
    query: { limit, cursor },
  }),
  api({
    method: 'GET',
    path: '/api/tickets/openapi.json',
    auth: 'public',
    success: 200,
    prepare: constant('/api/tickets/openapi.json'),
  }),
  api({
    method: 'GET',
    path: '/api/tickets/:id',
    auth: 'public',
    success: 200,
    prepare: async (market, owner) => ({
      path: `/api/tickets/${(await market.listTicket(owner)).id}`,
    }),
    params: { id: idParam },
  }),
  api({
    method: 'PUT',
    path: '/api/tickets/:id',
    auth: 'owner',
    success: 200,
    prepare: async (market, owner) => ({
      path: `/api/tickets/${(await market.listTicket(owner)).id}`,
      body: { title: 'Budokan, arena B', price: 6000 },
    }),
    params: { id: idParam },
    body: { title: { ...title, required: false }, price: { ...price, required: false } },
  }),

  api({
    method: 'PUT',
    path: '/api/tickets/:id/delivery',
    auth: 'owner',
    success: 200,
    prepare: async (market, owner) => ({
      path: `/api/tickets/${(await market.listTicket(owner)).id}/delivery`,
      body: { code: 'TRANSFER-8F3K' },
    }),
    params: { id: idParam },
    body: { code: deliveryCode, url: deliveryUrl },
    rawTypes: ['application/pdf', 'image/png'],
  }),
  api({
    method: 'GET',
    path: '/api/tickets/:id/delivery',
    auth: 'owner',
    success: 200,
    prepare: async (market, owner) => ({
      path: `/api/tickets/${(await deliveredTicket(market, owner)).id}/delivery`,
    }),
    params: { id: idParam },
  }),

  // events (served by tickets)
  api({
    method: 'POST',
    path: '/api/events',
    auth: 'signed-in',
    success: 201,
    prepare: async (market) => ({ path: '/api/events', body: eventBody(market) }),
    body: {
      name: boundedText(120),
      venue: boundedText(120),
      city: boundedText(60),
      startsAt,
      endsAt,
    },
  }),
  api({
    method: 'GET',
    path: '/api/events',
    auth: 'public',
    success: 200,
    prepare: constant('/api/events?q=perfume&city=tokyo&from=2026-01-01&limit=5'),
    query: { q: searchText(100), city: searchText(60), from: moment, to: moment, limit, cursor },
  }),
  api({
    method: 'GET',
    path: '/api/events/:id',
    auth: 'public',
    success: 200,
    prepare: async (market, owner) => ({
      path: `/api/events/${(await newEvent(market, owner)).id}`,
    }),
    params: { id: idParam },
  }),
  api({
    method: 'GET',
    path: '/api/events/:id/tickets',
    auth: 'public',
    success: 200,
    prepare: async (market, owner) => {
      const event = await newEvent(market, owner)
      await market.listTicket(owner, { eventId: event.id, price: 7000, faceValue: 7000 })
      return { path: `/api/events/${event.id}/tickets?limit=5` }
    },
    params: { id: idParam },
    query: { limit, cursor },
  }),
  api({
    method: 'POST',
    path: '/api/events/:id/cancel',
    auth: 'admin',
    success: 200,
    prepare: async (market, admin) => ({
      path: `/api/events/${(await newEvent(market, admin)).id}/cancel`,
    }),
    params: { id: idParam },
  }),
  api({
    method: 'POST',
    path: '/api/events/:id/postpone',
    auth: 'admin',
    success: 200,
    prepare: async (market, admin) => {
      const startsAt = new Date(market.clock().getTime() + 60 * 24 * 60 * 60 * 1000)
      return {
        path: `/api/events/${(await newEvent(market, admin)).id}/postpone`,
        body: { startsAt: startsAt.toISOString() },
      }
    },
    params: { id: idParam },
    body: { startsAt, endsAt },
  }),

  // orders
  api({
    method: 'POST',
    path: '/api/orders',
    auth: 'signed-in',
    success: 201,
    prepare: async (market) => ({
      path: '/api/orders',
      body: { ticketId: (await ticketForSale(market)).id },
    }),
    body: { ticketId: uuidField, expectedPrice: seenNumber, ticketVersion: seenNumber },
  }),
  api({
    method: 'GET',
    path: '/api/orders',
    auth: 'signed-in',
    success: 200,
    prepare: constant('/api/orders'),
  }),
  api({
    method: 'GET',
    path: '/api/orders/openapi.json',
    auth: 'public',
    success: 200,
    prepare: constant('/api/orders/openapi.json'),
  }),
  api({
    method: 'GET',
    path: '/api/orders/:id',
    auth: 'owner',
    success: 200,
    prepare: async (market, owner) => ({
      path: `/api/orders/${(await ownOrder(market, owner)).id}`,
    }),
    params: { id: idParam },
  }),
  api({
    method: 'DELETE',
    path: '/api/orders/:id',
    auth: 'owner',
    success: 204,
    prepare: async (market, owner) => ({
      path: `/api/orders/${(await ownOrder(market, owner)).id}`,
    }),
    params: { id: idParam },
  }),

  // A paid order's delivery (served by tickets)
  api({
    method: 'GET',
    path: '/api/orders/:id/ticket',
    auth: 'owner',
    success: 200,
    prepare: async (market, owner) => ({
      path: `/api/orders/${(await paidOrder(market, owner)).id}/ticket`,
    }),
    params: { id: idParam },
  }),
  api({
    method: 'POST',
    path: '/api/orders/:id/claims',
    auth: 'owner',
    success: 201,
    prepare: async (market, owner) => {
      const { order } = await market.paidOrder(owner, await market.signUp('seller'))
      return { path: `/api/orders/${order.id}/claims`, body: { reason: 'invalid' } }
    },
    params: { id: idParam },
    body: { reason: claimReason, details: optionalText(1000) },
  }),

  // claims (served by orders; admins)
  api({
    method: 'GET',
    path: '/api/claims',
    auth: 'admin',
    success: 200,
    prepare: constant('/api/claims?status=open&limit=5'),
    query: { status: claimStatus, limit, cursor },
  }),
  api({
    method: 'POST',
    path: '/api/claims/:id/resolve',
    auth: 'admin',
    success: 200,
    prepare: async (market) => ({
      path: `/api/claims/${(await openClaim(market)).id}/resolve`,
      body: { outcome: 'release', note: 'The seller showed the transfer' },
    }),
    params: { id: idParam },
    body: { outcome: claimOutcome, note: optionalText(1000) },
  }),

  // payments
  api({
    method: 'POST',
    path: '/api/payments',
    auth: 'owner',
    success: 201,
    prepare: async (market, owner) => ({
      path: '/api/payments',
      body: { orderId: (await ownOrder(market, owner)).id, token: 'tok_visa' },
    }),
    body: { orderId: uuidField, token: cardToken },
  }),
  api({
    method: 'GET',
    path: '/api/payments/openapi.json',
    auth: 'public',
    success: 200,
    prepare: constant('/api/payments/openapi.json'),
  }),
  api({
    method: 'POST',
    path: '/api/payments/webhook',
    auth: 'stripe',
    success: 200,
    // webhooks.test.ts signs its calls; here the route only shows a session is no signature.
    prepare: async () => ({ path: '/api/payments/webhook', body: {} }),
  }),

  // payouts (served by payments)
  api({
    method: 'POST',
    path: '/api/payouts/account',
    auth: 'signed-in',
    success: 200,
    prepare: constant('/api/payouts/account'),
  }),
  api({
    method: 'GET',
    path: '/api/payouts/account/offline-onboarding',
    auth: 'owner',
    success: 200,
    prepare: async (market, owner) => {
      const res = await market.send('POST', '/api/payouts/account', { token: owner.token })
      if (res.status !== 200) throw new Error(`payout account: ${res.status} ${res.text}`)
      return { path: res.body.url as string }
    },
    query: { account: accountId },
  }),
  api({
    method: 'GET',
    path: '/api/payouts',
    auth: 'signed-in',
    success: 200,
    prepare: constant('/api/payouts?limit=5'),
    query: { limit, cursor },
  }),
  api({
    method: 'GET',
    path: '/api/payouts/all',
    auth: 'admin',
    success: 200,
    prepare: constant('/api/payouts/all?status=held&limit=5'),
    query: { status: payoutStatus, limit, cursor },
  }),

  // storefront
  page({ method: 'GET', path: '/', auth: 'public', success: 200, prepare: constant('/') }),
  page({
    method: 'GET',
    path: '/tickets/:id',
    auth: 'public',
    success: 200,
    prepare: async (market, owner) => ({ path: `/tickets/${(await market.listTicket(owner)).id}` }),
    params: { id: idParam },
  }),
  page({
    method: 'POST',
    path: '/tickets/:id/buy',
    auth: 'signed-in',
    success: 303,
    prepare: async (market) => ({
      path: `/tickets/${(await ticketForSale(market)).id}/buy`,
      form: {},
    }),
    params: { id: idParam },
    form: { idempotencyKey: notAKey },
  }),
  page({
    method: 'GET',
    path: '/sell',
    auth: 'signed-in',
    success: 200,
    prepare: constant('/sell'),
  }),
  page({
    method: 'POST',
    path: '/sell',
    auth: 'signed-in',
    success: 303,
    prepare: async () => ({ path: '/sell', form: { title: 'Saitama Super Arena', price: '9000' } }),
    form: {
      eventId: typed,
      title: typed,
      price: typed,
      faceValue: typed,
      section: typed,
      row: typed,
      seat: typed,
    },
  }),
  page({
    method: 'GET',
    path: '/sales',
    auth: 'signed-in',
    success: 200,
    prepare: constant('/sales'),
  }),
  page({
    method: 'POST',
    path: '/sales/onboard',
    auth: 'signed-in',
    success: 303,
    prepare: async () => ({ path: '/sales/onboard', form: {} }),
    form: { idempotencyKey: notAKey },
  }),
  page({
    method: 'GET',
    path: '/events',
    auth: 'public',
    success: 200,
    prepare: constant('/events?q=perfume&city=Tokyo'),
  }),
  page({
    method: 'GET',
    path: '/events/new',
    auth: 'signed-in',
    success: 200,
    prepare: constant('/events/new'),
  }),
  page({
    method: 'POST',
    path: '/events',
    auth: 'signed-in',
    success: 303,
    prepare: async (market) => {
      const body = eventBody(market)
      // As the form's datetime-local field sends it: Japan time, no offset.
      const local = new Date(Date.parse(body.startsAt) + 9 * 60 * 60 * 1000)
      const startsAt = local.toISOString().slice(0, 16)
      return { path: '/events', form: { ...body, startsAt, endsAt: '' } }
    },
    form: { name: typed, venue: typed, city: typed, startsAt: typed, endsAt: typed },
  }),
  page({
    method: 'GET',
    path: '/events/:id',
    auth: 'public',
    success: 200,
    prepare: async (market, owner) => ({ path: `/events/${(await newEvent(market, owner)).id}` }),
    params: { id: idParam },
  }),
  page({
    method: 'GET',
    path: '/tickets/:id/edit',
    auth: 'owner',
    success: 200,
    prepare: async (market, owner) => ({
      path: `/tickets/${(await market.listTicket(owner)).id}/edit`,
    }),
    params: { id: idParam },
  }),
  page({
    method: 'POST',
    path: '/tickets/:id/edit',
    auth: 'owner',
    success: 303,
    prepare: async (market, owner) => ({
      path: `/tickets/${(await market.listTicket(owner)).id}/edit`,
      form: { title: 'Saitama, block 200', price: '9500' },
    }),
    params: { id: idParam },
    form: { title: typed, price: typed },
  }),
  page({
    method: 'GET',
    path: '/tickets/:id/delivery',
    auth: 'owner',
    success: 200,
    prepare: async (market, owner) => ({
      path: `/tickets/${(await market.listTicket(owner)).id}/delivery`,
    }),
    params: { id: idParam },
  }),
  page({
    method: 'POST',
    path: '/tickets/:id/delivery',
    auth: 'owner',
    success: 303,
    prepare: async (market, owner) => ({
      path: `/tickets/${(await market.listTicket(owner)).id}/delivery`,
      form: { code: 'GATE-7731', url: '' },
    }),
    params: { id: idParam },
    form: { code: typed, url: typed },
  }),
  page({
    method: 'GET',
    path: '/signup',
    auth: 'public',
    success: 200,
    prepare: constant('/signup'),
  }),
  page({
    method: 'POST',
    path: '/signup',
    auth: 'public',
    success: 303,
    prepare: async () => ({ path: '/signup', form: { email: email('page'), password: PASSWORD } }),
    form: { email: typed, password: typed, next: typed },
  }),
  page({
    method: 'GET',
    path: '/signin',
    auth: 'public',
    success: 200,
    prepare: constant('/signin'),
  }),
  page({
    method: 'POST',
    path: '/signin',
    auth: 'public',
    success: 303,
    prepare: async (_market, owner) => ({
      path: '/signin',
      form: { email: owner.email, password: PASSWORD },
    }),
    form: { email: typed, password: typed, next: typed },
  }),
  page({
    method: 'POST',
    path: '/signout',
    auth: 'public',
    success: 303,
    prepare: async () => ({ path: '/signout', form: {} }),
  }),
  page({
    method: 'GET',
    path: '/orders',
    auth: 'signed-in',
    success: 200,
    prepare: constant('/orders'),
  }),
  page({
    method: 'GET',
    path: '/orders/:id',
    auth: 'owner',
    success: 200,
    prepare: async (market, owner) => ({ path: `/orders/${(await ownOrder(market, owner)).id}` }),
    params: { id: idParam },
  }),
  page({
    method: 'POST',
    path: '/orders/:id/pay',
    auth: 'owner',
    success: 303,
    prepare: async (market, owner) => ({
      path: `/orders/${(await ownOrder(market, owner)).id}/pay`,
      form: { token: 'tok_visa' },
    }),
    params: { id: idParam },
    form: { token: typed, idempotencyKey: notAKey },
  }),
  page({
    method: 'GET',
    path: '/orders/:id/ticket',
    auth: 'owner',
    success: 200,
    // The download of a file delivery (a code or link is shown on the order page instead).
    prepare: async (market, owner) => ({
      path: `/orders/${(await paidOrder(market, owner, true)).id}/ticket`,
    }),
    params: { id: idParam },
  }),
  page({
    method: 'POST',
    path: '/orders/:id/cancel',
    auth: 'owner',
    success: 303,
    prepare: async (market, owner) => ({
      path: `/orders/${(await ownOrder(market, owner)).id}/cancel`,
      form: {},
    }),
    params: { id: idParam },
  }),
  page({
    method: 'POST',
    path: '/events/:id/cancel',
    auth: 'admin',
    success: 303,
    prepare: async (market, admin) => ({
      path: `/events/${(await newEvent(market, admin)).id}/cancel`,
      form: {},
    }),
    params: { id: idParam },
  }),
  page({
    method: 'POST',
    path: '/events/:id/postpone',
    auth: 'admin',
    success: 303,
    prepare: async (market, admin) => {
      const startsAt = new Date(market.clock().getTime() + 60 * 24 * 60 * 60 * 1000)
      return {
        path: `/events/${(await newEvent(market, admin)).id}/postpone`,
        form: { startsAt: startsAt.toISOString().slice(0, 16) },
      }
    },
    params: { id: idParam },
    form: { startsAt: typed, endsAt: typed },
  }),
  page({
    method: 'POST',
    path: '/orders/:id/claim',
    auth: 'owner',
    success: 303,
    prepare: async (market, owner) => {
      const { order } = await market.paidOrder(owner, await market.signUp('seller'))
      return { path: `/orders/${order.id}/claim`, form: { reason: 'invalid' } }
    },
    params: { id: idParam },
    form: { reason: typed, details: typed },
  }),
  page({
    method: 'GET',
    path: '/admin/claims',
    auth: 'admin',
    success: 200,
    prepare: constant('/admin/claims'),
  }),
  page({
    method: 'POST',
    path: '/admin/claims/:id/resolve',
    auth: 'admin',
    success: 303,
    prepare: async (market) => ({
      path: `/admin/claims/${(await openClaim(market)).id}/resolve`,
      form: { outcome: 'release' },
    }),
    params: { id: idParam },
    form: { outcome: typed },
  }),
]
