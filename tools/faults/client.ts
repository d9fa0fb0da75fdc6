import { requestJson } from '../lib/http.ts'
import type { Kind, Stats } from './stats.ts'

// biome-ignore lint/suspicious/noExplicitAny: the load reads arbitrary JSON bodies
export type Answer = { status: number; body: any; reason: string }

export type CallOptions = {
  body?: unknown
  token?: string
  idempotencyKey?: string
  /** Statuses that are a normal answer for this call (a declined card, a taken ticket…). */
  expected?: number[]
  /** The fault to file a failure under: the one in progress when the first attempt was sent. */
  fault?: string
}

/** Labels a path by its route: ids become `:id`, so outcomes group by endpoint. */
export const routeOf = (path: string) =>
  path
    .replace(/\?.*$/, '')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')

function networkReason(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; message?: string } }
  if (e.name === 'TimeoutError') return 'timeout'
  return e.cause?.code ?? e.code ?? e.cause?.message ?? String(err)
}

/** The JSON API through the ingress; every call is counted in `stats`. */
export function createClient(baseUrl: string, stats: Stats, timeoutMs = 20_000) {
  async function call(method: string, path: string, o: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = {}
    if (o.idempotencyKey) headers['Idempotency-Key'] = o.idempotencyKey
    const op = `${method} ${routeOf(path)}`
    let answer: Answer
    try {
      const { status, body, text } = await requestJson(fetch, baseUrl, method, path, {
        body: o.body,
        token: o.token,
        headers,
        timeoutMs,
      })
      const message = (body as { errors?: { message?: string }[] })?.errors?.[0]?.message
      const ok = status >= 200 && status < 300
      answer = { status, body, reason: message ?? (ok ? '' : text.slice(0, 80)) }
    } catch (err) {
      answer = { status: 0, body: null, reason: networkReason(err) }
    }
    const kind: Kind =
      answer.status >= 200 && answer.status < 300
        ? 'ok'
        : o.expected?.includes(answer.status)
          ? 'expected'
          : 'failed'
    stats.record({ op, status: answer.status, reason: answer.reason, kind, fault: o.fault })
    return answer
  }
  return Object.assign(call, { stats })
}

export type Call = ReturnType<typeof createClient>

/** Worth retrying with the same request: the ingress or a replica was down, or a 5xx. */
export const transient = (a: Answer) => a.status === 0 || a.status >= 500
