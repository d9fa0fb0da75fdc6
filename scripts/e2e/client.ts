/** A tiny JSON client over any fetch: the embedded app in-process, or a server over HTTP. */
export type Fetch = (request: Request) => Response | Promise<Response>

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies and assert on their shape
export type Reply = { status: number; body: any; headers: Headers }

export function apiClient(fetch: Fetch, baseUrl: string) {
  async function call(
    method: string,
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    if (options.token) headers.Authorization = `Bearer ${options.token}`
    const res = await fetch(
      new Request(new URL(path, baseUrl), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      }),
    )
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers }
  }
  return {
    get: (path: string, token?: string) => call('GET', path, { token }),
    post: (path: string, body: unknown, token?: string, headers?: Record<string, string>) =>
      call('POST', path, { body, token, headers }),
    put: (path: string, body: unknown, token?: string) => call('PUT', path, { body, token }),
    delete: (path: string, token?: string) => call('DELETE', path, { token }),
  }
}

export type ApiClient = ReturnType<typeof apiClient>
