import { manualClock, memoryLogger } from '@twtix/common'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmbedded, type Embedded } from '../../embedded/create-embedded.ts'

/**
 * Per-address limits must see each browser: the storefront forwards the visitor's address to the
 * API, and only a trusted hop (here the in-process call) is believed when it names one.
 */

let embedded: Embedded
beforeAll(async () => {
  embedded = await createEmbedded({
    env: { RATE_LIMIT_ADDRESS_PER_MINUTE: '5' },
    clock: manualClock(new Date()),
    logger: memoryLogger('warn'),
  })
})
afterAll(async () => {
  await embedded?.stop()
})

/** A request as the embedded server hands it over: with the browser's socket. */
const from = (address: string, request: Request) =>
  embedded.fetch(request, { incoming: { socket: { remoteAddress: address } } })

const signInForm = (email: string, password: string) =>
  new Request('http://localhost/signin', {
    method: 'POST',
    headers: { Origin: 'http://localhost' },
    body: new URLSearchParams({ email, password }),
  })

const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

describe('client addresses', () => {
  it("does not let one storefront visitor's failures throttle another visitor", async () => {
    const email = `owner-${crypto.randomUUID().slice(0, 8)}@example.test`
    const password = 'correct horse battery'
    expect((await from('192.0.2.50', json('/api/users/signup', { email, password }))).status).toBe(
      201,
    )
    for (let i = 0; i < 5; i++) {
      const wrong = await from('203.0.113.9', signInForm(email, `wrong ${i}`))
      expect(wrong.status).toBe(400)
    }
    // The guesser's own budget is spent ...
    expect((await from('203.0.113.9', signInForm(email, 'wrong again'))).status).toBe(429)
    // ... and the owner, through the same storefront from elsewhere, is not affected.
    const owner = await from('198.51.100.7', signInForm(email, password))
    expect(owner.status).toBe(303)
    expect(owner.headers.get('Set-Cookie')).toMatch(/^session=/)
  })

  it('ignores X-Forwarded-For from a client that is no trusted proxy', async () => {
    const body = {
      email: `x-${crypto.randomUUID().slice(0, 8)}@example.test`,
      password: 'nope1234',
    }
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const forged = { 'X-Forwarded-For': `10.0.0.${i}` }
      statuses.push((await from('203.0.113.77', json('/api/users/signin', body, forged))).status)
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429])
  })
})
