import { clientAddress, type ErrorItem, REFRESH_COOKIE, SESSION_COOKIE } from '@twtix/common'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { Deps } from './deps.ts'

export type User = { id: string; email: string; role?: 'user' | 'admin' }
export type TicketStatus = 'available' | 'reserved' | 'sold'
export type Ticket = {
  id: string
  title: string
  price: number
  currency: 'JPY'
  userId: string
  status: TicketStatus
  orderId: string | null
  version: number
  createdAt: string
  eventId: string | null
  faceValue: number | null
  section: string | null
  row: string | null
  seat: string | null
  /** Whether the seller has added what the buyer needs to get in (never the details). */
  delivery?: 'pending' | 'ready'
}
/** A ticket's delivery as its seller reads it back. */
export type Delivery =
  | { ticketId: string; kind: 'code' | 'url'; value: string; updatedAt: string }
  | {
      ticketId: string
      kind: 'file'
      contentType: string
      fileName: string
      size: number
      updatedAt: string
    }
export type Event = {
  id: string
  name: string
  venue: string
  city: string
  startsAt: string
  endsAt: string | null
  status: 'scheduled' | 'postponed' | 'cancelled' | 'finished'
  createdAt: string
}
export type OrderStatus = 'created' | 'cancelled' | 'complete'
export type Order = {
  id: string
  userId: string
  status: OrderStatus
  expiresAt: string
  ticket: { id: string; title: string; price: number }
  createdAt: string
  paymentError: { message: string; at: string } | null
  refundedAt: string | null
  /** Whole yen; absent from an orders service older than fees. */
  price?: number
  buyerFee?: number
  total?: number
  /** The latest claim on the order (absent from an API before claims). */
  claim?: {
    id: string
    reason: string
    status: 'open' | 'resolved'
    outcome: 'refund' | 'release' | null
    openedAt: string
  } | null
}

export type ApiReply<T> = { status: number; body: T; errors: ErrorItem[]; headers: Headers }

/** The API did not answer usefully: unreachable, or a 5xx. The page says so; nothing is retried. */
export class ApiUnavailableError extends Error {}

export type Api = ReturnType<typeof apiFor>

/**
 * The public API as the browser's user: each call carries the browser's session cookie, exactly
 * what a curl user would send, and the browser's address. Answers below 500 come back to the caller to render.
 */
export function apiFor(deps: Deps, c: Context) {
  let session = getCookie(c, SESSION_COOKIE)
  // The refresh secret goes to the two routes that read it, nowhere else.
  const refresh = getCookie(c, REFRESH_COOKIE)
  const takesRefresh = (path: string) =>
    path === '/api/users/refresh' || path === '/api/users/signout'
  const requestId: string | undefined = c.get('requestId')
  // The API's per-address limits must see the browser, not the storefront: the API trusts the
  // storefront's hop (TRUSTED_PROXIES, or the embedded in-process call) to say who it is.
  const client = clientAddress(c, deps.config.TRUSTED_PROXIES)

  /** The API's answer as it came (a file download); a 5xx or no answer is ApiUnavailableError. */
  async function fetchRaw(
    method: string,
    path: string,
    options: { body?: Uint8Array | string; type?: string; extra?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers = new Headers({ Accept: 'application/json', ...options.extra })
    const cookies = session ? [`${SESSION_COOKIE}=${session}`] : []
    if (refresh && takesRefresh(path)) cookies.push(`${REFRESH_COOKIE}=${refresh}`)
    if (cookies.length > 0) headers.set('Cookie', cookies.join('; '))
    if (requestId) headers.set('X-Request-Id', requestId)
    headers.set('X-Forwarded-For', client)
    if (options.type) headers.set('Content-Type', options.type)
    let res: Response
    try {
      res = await deps.api(
        new Request(new URL(path, deps.apiUrl), {
          method,
          headers,
          body: options.body as BodyInit | undefined,
        }),
      )
    } catch (err) {
      throw new ApiUnavailableError(`${method} ${path} failed: ${(err as Error).message}`)
    }
    if (res.status >= 500) {
      await res.body?.cancel()
      throw new ApiUnavailableError(`${method} ${path} answered ${res.status}`)
    }
    return res
  }

  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
    raw?: { body: Uint8Array; type: string },
  ): Promise<ApiReply<T>> {
    if (raw) return replyOf<T>(method, path, await fetchRaw(method, path, { ...raw, extra }))
    const headers = new Headers({ Accept: 'application/json', ...extra })
    const cookies = session ? [`${SESSION_COOKIE}=${session}`] : []
    if (refresh && takesRefresh(path)) cookies.push(`${REFRESH_COOKIE}=${refresh}`)
    if (cookies.length > 0) headers.set('Cookie', cookies.join('; '))
    if (requestId) headers.set('X-Request-Id', requestId)
    headers.set('X-Forwarded-For', client)
    if (body !== undefined) headers.set('Content-Type', 'application/json')
    let res: Response
    try {
      res = await deps.api(
        new Request(new URL(path, deps.apiUrl), {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      )
    } catch (err) {
      throw new ApiUnavailableError(`${method} ${path} failed: ${(err as Error).message}`)
    }
    if (res.status >= 500) {
      await res.body?.cancel()
      throw new ApiUnavailableError(`${method} ${path} answered ${res.status}`)
    }
    return replyOf<T>(method, path, res)
  }

  async function replyOf<T>(method: string, path: string, res: Response): Promise<ApiReply<T>> {
    const text = await res.text()
    let parsed: T
    try {
      parsed = (text ? JSON.parse(text) : null) as T
    } catch {
      throw new ApiUnavailableError(`${method} ${path} answered ${res.status} without JSON`)
    }
    const errors = (parsed as { errors?: unknown } | null)?.errors
    return {
      status: res.status,
      body: parsed,
      errors: Array.isArray(errors) ? (errors as ErrorItem[]) : [],
      headers: res.headers,
    }
  }

  return {
    /** Calls from now on carry this access token (just renewed by refresh). */
    useSession(token: string) {
      session = token
    },
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body, headers),
    put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
    /** A raw body (a file) of the given media type; the answer is JSON as usual. */
    putBytes: <T>(path: string, body: Uint8Array, type: string) =>
      call<T>('PUT', path, undefined, {}, { body, type }),
    /** The answer itself, for a download that may not be JSON. */
    fetch: (path: string) => fetchRaw('GET', path),
    delete: <T>(path: string) => call<T>('DELETE', path),
  }
}
