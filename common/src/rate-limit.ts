import type { Clock } from './clock.ts'

export type RateLimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number }

export type RateLimiter = {
  /** Counts one attempt for `key`. */
  hit(key: string): RateLimitResult
  /** Reads without counting. */
  check(key: string): RateLimitResult
  reset(key: string): void
}

/**
 * A fixed-window counter per key, in memory. It bounds abuse per process; replicas each keep
 * their own window, so the effective limit is the limit times the replica count.
 */
export function createRateLimiter(options: {
  limit: number
  windowMs: number
  clock: Clock
  maxKeys?: number
}): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>()
  const maxKeys = options.maxKeys ?? 100_000

  function current(key: string) {
    const now = options.clock().getTime()
    let w = windows.get(key)
    if (!w || now - w.start >= options.windowMs) {
      if (windows.size >= maxKeys) sweep(now)
      w = { start: now, count: 0 }
      windows.set(key, w)
    }
    return { w, now }
  }

  function sweep(now: number) {
    for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k)
    if (windows.size >= maxKeys) windows.clear()
  }

  /** `allowed` as the caller decides it; a refusal waits until the window ends. */
  function result(w: { start: number; count: number }, now: number, allowed: boolean) {
    return {
      allowed,
      remaining: Math.max(0, options.limit - w.count),
      retryAfterSeconds: allowed
        ? 0
        : Math.max(1, Math.ceil((w.start + options.windowMs - now) / 1000)),
    }
  }

  return {
    hit(key) {
      const { w, now } = current(key)
      w.count++
      return result(w, now, w.count <= options.limit)
    },
    check(key) {
      const { w, now } = current(key)
      return result(w, now, w.count < options.limit)
    },
    reset(key) {
      windows.delete(key)
    },
  }
}
