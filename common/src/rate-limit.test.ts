import { describe, expect, it } from 'vitest'
import { manualClock } from './clock.ts'
import { createRateLimiter } from './rate-limit.ts'

describe('rate limiter', () => {
  it('allows the limit, refuses the next with the time left, and resets with the window', () => {
    const clock = manualClock()
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, clock })
    expect([1, 2, 3].map(() => limiter.hit('a').allowed)).toEqual([true, true, true])
    clock.advance(15_000)
    const refused = limiter.hit('a')
    expect(refused.allowed).toBe(false)
    expect(refused.retryAfterSeconds).toBe(45)
    expect(limiter.hit('b').allowed).toBe(true)
    clock.advance(45_000)
    expect(limiter.hit('a').allowed).toBe(true)
  })

  it('check does not count, reset forgets', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, clock: manualClock() })
    expect(limiter.check('k').allowed).toBe(true)
    limiter.hit('k')
    expect(limiter.check('k').allowed).toBe(false)
    limiter.reset('k')
    expect(limiter.check('k').allowed).toBe(true)
  })
})
