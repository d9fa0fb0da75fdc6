/** What the parent asks the load generator (its own process, autocannon) to send. */
export type LoadItem = { path?: string; headers?: Record<string, string>; body?: string }

export type LoadSpec = {
  /** Origin, e.g. http://127.0.0.1:8290 */
  url: string
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  headers?: Record<string, string>
  body?: string
  /** Per-request variations, taken in order, one per request (cycled when they run out). */
  items?: LoadItem[]
  connections: number
  /** Seconds to run, unless `amount` is set. */
  durationSeconds?: number
  /** Requests to send in all; takes precedence over the duration. */
  amount?: number
  /** Stops a run by amount after this many seconds whatever is left. */
  maxSeconds?: number
  timeoutSeconds?: number
  /** Bodies of the answers with this status are returned (e.g. 201: the orders created). */
  captureStatus?: number
}

export type LoadResult = {
  /** Response time of every answered request, ms, in answer order. */
  latencies: number[]
  /** The status of each answer, same order as `latencies`. */
  statuses: number[]
  /** Requests that got no answer (connection errors, timeouts). */
  errors: number
  /** From the first request sent to the last answer, ms. */
  elapsedMs: number
  /** Bodies of the answers with `captureStatus`. */
  bodies: string[]
  /** CPU the load generator itself used during the run, ms. */
  cpuMs: number
}
