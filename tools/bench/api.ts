/** The bench's own HTTP calls (set-up and the flows timed one by one), over fetch. */
import { requestJson } from '../lib/http.ts'

// biome-ignore lint/suspicious/noExplicitAny: the bench reads arbitrary JSON bodies
export type Answer = { status: number; body: any; headers: Headers; text: string; at: number }

export function api(base: string) {
  return async function call(
    method: string,
    path: string,
    o: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const reply = await requestJson(fetch, base, method, path, { ...o, timeoutMs: 30_000 })
    return { ...reply, at: performance.now() }
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
