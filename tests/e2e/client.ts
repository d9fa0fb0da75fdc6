import { type Fetch, type Reply, requestJson } from '../../tools/lib/http.ts'

export type { Fetch, Reply }

/** A tiny JSON client over any fetch: the embedded app in-process, or a server over HTTP. */
export function apiClient(fetch: Fetch, baseUrl: string) {
  const call = (method: string, path: string, o: Parameters<typeof requestJson>[4] = {}) =>
    requestJson(fetch, baseUrl, method, path, o)
  return {
    get: (path: string, token?: string) => call('GET', path, { token }),
    post: (path: string, body: unknown, token?: string, headers?: Record<string, string>) =>
      call('POST', path, { body, token, headers }),
    put: (path: string, body: unknown, token?: string) => call('PUT', path, { body, token }),
    delete: (path: string, token?: string) => call('DELETE', path, { token }),
  }
}

export type ApiClient = ReturnType<typeof apiClient>
