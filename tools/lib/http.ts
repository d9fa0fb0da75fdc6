/** The one JSON-over-HTTP call the suites and the tools share, over any fetch. */
export type Fetch = (request: Request) => Response | Promise<Response>

export type RequestOptions = {
  body?: unknown
  token?: string
  headers?: Record<string, string>
  timeoutMs?: number
}

// biome-ignore lint/suspicious/noExplicitAny: callers read arbitrary JSON bodies and check their shape
export type Reply = { status: number; body: any; headers: Headers; text: string }

/** Sends a JSON request (bearer token if given) and reads the answer; a non-JSON body stays text. */
export async function requestJson(
  fetch: Fetch,
  baseUrl: string,
  method: string,
  path: string,
  o: RequestOptions = {},
): Promise<Reply> {
  const headers = requestHeaders(o)
  const res = await fetch(
    new Request(new URL(path, baseUrl), {
      method,
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
      signal: o.timeoutMs ? AbortSignal.timeout(o.timeoutMs) : undefined,
    }),
  )
  const text = await res.text()
  return { status: res.status, body: parseBody(text), headers: res.headers, text }
}

/** A JSON request's headers: the caller's, the content type when there is a body, the token. */
export function requestHeaders(o: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = { ...o.headers }
  if (o.body !== undefined) headers['Content-Type'] = 'application/json'
  if (o.token) headers.Authorization = `Bearer ${o.token}`
  return headers
}

/** An answer's body: its JSON parsed, null when empty, the text itself when not JSON. */
export function parseBody(text: string): unknown {
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
