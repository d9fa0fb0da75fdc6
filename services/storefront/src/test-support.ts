import {
  createInProcessBus,
  type ManualClock,
  manualClock,
  memoryLogger,
  readConfig,
} from '@twtix/common'
import { eventually } from '@twtix/common/testing'
import { createEmbedded, type Embedded } from '../../../embedded/create-embedded.ts'
import { StorefrontConfigSchema } from './config.ts'
import { createStorefrontService, type StorefrontService } from './service.ts'

export const HOLD_SECONDS = 900

export type TestShop = {
  embedded: Embedded
  storefront: StorefrontService
  clock: ManualClock
  /** The ingress: `/api/*` to the marketplace, everything else to the storefront. */
  fetch: (request: Request) => Promise<Response>
  stop(): Promise<void>
}

/**
 * The real marketplace in this process (PGlite in memory, in-process bus, offline payments) and
 * the storefront in front of it, calling it through its public routes.
 */
export async function createTestShop(
  options: {
    env?: Record<string, string>
    /** The API services' environment (ADMIN_EMAILS, say). */
    apiEnv?: Record<string, string>
    clock?: ManualClock
  } = {},
): Promise<TestShop> {
  const clock = options.clock ?? manualClock(new Date())
  const logger = memoryLogger('warn')
  const embedded = await createEmbedded({
    env: { ORDER_HOLD_SECONDS: String(HOLD_SECONDS), ...options.apiEnv },
    clock,
    logger,
    policy: { maxAttempts: 20, backoffMs: () => 20 },
  })
  const storefront = await createStorefrontService(
    {
      config: readConfig(StorefrontConfigSchema, options.env ?? {}),
      database: embedded.database,
      bus: createInProcessBus(),
      logger,
      clock,
    },
    { api: async (request) => embedded.fetch(request) },
  )
  const fetch = async (request: Request) =>
    new URL(request.url).pathname.startsWith('/api/')
      ? embedded.fetch(request)
      : storefront.app.fetch(request)
  return { embedded, storefront, clock, fetch, stop: () => embedded.stop() }
}

export type Page = {
  status: number
  html: string
  /** The path this page was finally served from, after redirects. */
  path: string
  location: string | null
  res: Response
}

/**
 * A person at a browser, without the browser: a cookie jar, same-origin form posts, redirects
 * followed. Pages come from `app.request()` on the storefront.
 */
export function visitor(shop: TestShop, origin = 'http://localhost') {
  const cookies = new Map<string, string>()

  function keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';')
      const [name = '', value = ''] = pair.split('=')
      const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === ''
      if (gone) cookies.delete(name.trim())
      else cookies.set(name.trim(), value)
    }
  }

  async function request(path: string, init: RequestInit = {}, follow = true): Promise<Page> {
    const headers = new Headers(init.headers)
    if (cookies.size > 0) {
      headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    }
    const res = await shop.storefront.app.request(path, { ...init, headers })
    keep(res)
    const location = res.headers.get('Location')
    if (follow && location && res.status >= 300 && res.status < 400) {
      return request(location)
    }
    return { status: res.status, html: await res.text(), path, location, res }
  }

  /** A new ticket of this visitor's, listed through the sell form; its id. */
  async function sell(title: string, price: number): Promise<string> {
    const page = await request('/sell', {
      method: 'POST',
      headers: { Origin: origin },
      body: new URLSearchParams({ title, price: String(price) }),
    })
    const id = page.path.match(/^\/tickets\/([\w-]+)\?notice=listed$/)?.[1]
    if (!id) throw new Error(`listing failed: ${page.status} ${textOf(page.html).slice(0, 200)}`)
    return id
  }

  return {
    cookies,
    sell,
    get: (path: string) => request(path),
    /** Posts a form as the browser does from one of the shop's pages. */
    post: (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      request(path, {
        method: 'POST',
        headers: { Origin: origin, ...headers },
        body: new URLSearchParams(fields),
      }),
    /** Posts a multipart form (a file upload) as the browser does. */
    postMultipart: (path: string, form: FormData) =>
      request(path, { method: 'POST', headers: { Origin: origin }, body: form }),
    /** The same, without following the redirect. */
    postOnly: (
      path: string,
      fields: Record<string, string>,
      headers: Record<string, string> = {},
    ) =>
      request(
        path,
        {
          method: 'POST',
          headers: { Origin: origin, ...headers },
          body: new URLSearchParams(fields),
        },
        false,
      ),
    async signUp(name = 'user', email = `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`) {
      const page = await request('/signup', {
        method: 'POST',
        headers: { Origin: origin },
        body: new URLSearchParams({ email, password: 'correct horse battery' }),
      })
      if (!cookies.has('session')) throw new Error(`sign up failed: ${page.status}`)
      return email
    },
  }
}

export type Visitor = ReturnType<typeof visitor>

/** The text of a page without its tags, spaces collapsed: what a person reads. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * A new seller's new ticket, bought and paid for by a new buyer through the pages: both visitors,
 * the ticket and the order page's path (tickets may not have heard of the payment yet).
 */
export async function soldTicket(shop: TestShop, price = 6000) {
  const seller = visitor(shop)
  await seller.signUp('seller')
  const ticketId = await seller.sell(`Live ${crypto.randomUUID().slice(0, 8)}`, price)
  const buyer = visitor(shop)
  await buyer.signUp('buyer')
  const order = await eventually(async () => {
    const page = await buyer.post(`/tickets/${ticketId}/buy`, {})
    return page.path.startsWith('/orders/') ? page : undefined
  })
  const orderPath = order.path.split('?')[0] as string
  await eventually(async () => {
    const page = await buyer.post(`${orderPath}/pay`, {
      token: 'tok_visa',
      idempotencyKey: crypto.randomUUID(),
    })
    return page.status === 409 ? undefined : page
  })
  return { seller, buyer, ticketId, orderPath }
}
