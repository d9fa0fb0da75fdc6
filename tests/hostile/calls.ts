import { BASE_URL, type Marketplace, type Reply } from './marketplace.ts'
import type { Call, Route } from './routes.ts'

/**
 * Percent-encodes a path segment as a client would; an unpaired surrogate, which no client can
 * encode, goes as the bytes of its WTF-8 form: invalid UTF-8 the server must also survive.
 */
function encodeSegment(value: string): string {
  return value
    .split(/([\ud800-\udfff])/u)
    .map((part) => {
      if (!/^[\ud800-\udfff]$/u.test(part)) return encodeURIComponent(part)
      const code = part.charCodeAt(0)
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
      return bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('')
    })
    .join('')
}

/** `/api/tickets/:id` with `id` = value, percent-encoded. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/:(\w+)/g, (_, name: string) => encodeSegment(values[name] ?? ''))
}

/** The path parameters of a concrete call, read back against the route's template. */
export function paramsOf(route: Route, call: Call): Record<string, string> {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string)
  const pattern = new RegExp(`^${route.path.replace(/:(\w+)/g, '([^/?]+)')}(?:\\?|$)`)
  const match = call.path.match(pattern)
  return Object.fromEntries(names.map((name, i) => [name, match?.[i + 1] ?? '']))
}

/**
 * Sends a route's call as its kind of client would: an API call with the session as a bearer
 * token, a page with the session cookie and, for a form post, this shop's Origin.
 */
export function callRoute(
  market: Marketplace,
  route: Route,
  call: Call,
  options: { session?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const { session } = options
  if (route.surface === 'api') {
    return market.send(route.method, call.path, {
      body: call.body,
      token: session,
      headers: { ...call.headers, ...options.headers },
    })
  }
  const origin: Record<string, string> =
    route.method === 'GET' ? {} : { Origin: new URL(BASE_URL).origin }
  return market.send(route.method, call.path, {
    form: call.form,
    cookie: session,
    headers: { ...origin, ...call.headers, ...options.headers },
  })
}
