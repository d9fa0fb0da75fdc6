/**
 * The bench's own HTTP calls (set-up and the flows timed one by one), over node:http with
 * keep-alive. Not over fetch: what undici's fetch allocates per request outlives young
 * collections (20,000 GETs of a local server: with fetch 97 young collections of 4.2 ms on
 * average and 11 full ones; with node:http 289 of 0.23 ms and none). In the propagation
 * scenario's polling loop the load generator's heap grew 50→120 MB and it paused 8–22 ms every
 * ~170 ms, inside the latencies it measured.
 */
import http from 'node:http'
import { parseBody, type RequestOptions, requestHeaders } from '../lib/http.ts'

// biome-ignore lint/suspicious/noExplicitAny: the bench reads arbitrary JSON bodies
export type Answer = { status: number; body: any; headers: Headers; text: string; at: number }

const TIMEOUT_MS = 30_000

export function api(base: string) {
  const agent = new http.Agent({ keepAlive: true })
  return function call(
    method: string,
    path: string,
    o: Omit<RequestOptions, 'timeoutMs'> = {},
  ): Promise<Answer> {
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body)
    const headers = requestHeaders(o)
    return new Promise<Answer>((resolve, reject) => {
      const req = http.request(new URL(path, base), { method, headers, agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const at = performance.now()
          const text = Buffer.concat(chunks).toString('utf8')
          const answered = new Headers()
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : [value ?? '']) answered.append(name, v)
          }
          resolve({
            status: res.statusCode ?? 0,
            body: parseBody(text),
            headers: answered,
            text,
            at,
          })
        })
      })
      req.setTimeout(TIMEOUT_MS, () =>
        req.destroy(new Error(`${method} ${path}: no answer within ${TIMEOUT_MS / 1000} s`)),
      )
      req.on('error', reject)
      req.end(payload)
    })
  }
}

export type Call = ReturnType<typeof api>

/** Throws unless the answer has the expected status. */
export function expectStatus(a: Answer, status: number, what: string): Answer {
  if (a.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${a.status} ${a.text.slice(0, 200)}`)
  }
  return a
}

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Runs `fn` over `items` with at most `concurrency` at once; results in item order. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i] as T, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return out
}

/** Polls `check` until it returns a value, every `everyMs`, for at most `timeoutMs`. */
export async function until<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
  everyMs = 0,
): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`)
    if (everyMs) await delay(everyMs)
  }
}
