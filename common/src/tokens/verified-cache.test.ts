import { base64url } from 'jose'
import { describe, expect, it } from 'vitest'
import { createTestAuth, TEST_AUDIENCE, TEST_ISSUER } from '../testing/test-auth.ts'
import { createSigner } from './signer.ts'
import { createVerifiedCache } from './verified-cache.ts'
import { createVerifier } from './verifier.ts'

const user = { id: crypto.randomUUID(), email: 'cached@example.test', role: 'user' as const }
const session = { sessionId: crypto.randomUUID() }

async function setup(maxEntries?: number) {
  const auth = await createTestAuth()
  const signer = await createSigner(auth.key, {
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    ttlSeconds: 60,
  })
  let now = Date.now()
  const cache = createVerifiedCache(maxEntries)
  const verifier = createVerifier({
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    loadKeys: async () => ({ keys: [auth.key.publicJwk] }),
    now: () => new Date(now),
    cache,
  })
  return { signer, cache, verifier, advance: (ms: number) => (now += ms) }
}

describe('verified token cache', () => {
  it('keeps a verified token and answers it again from the cache', async () => {
    const { signer, cache, verifier } = await setup()
    const token = await signer.sign(user, session)
    expect(await verifier.verify(token)).toEqual(user)
    expect(cache.size).toBe(1)
    expect(await verifier.verify(token)).toEqual(user)
    expect(cache.size).toBe(1)
  })

  it('refuses a cached token once the clock passes its exp', async () => {
    const { signer, cache, verifier, advance } = await setup()
    const token = await signer.sign(user, session)
    expect(await verifier.verify(token)).toEqual(user)
    advance(59_000)
    expect(await verifier.verify(token)).toEqual(user)
    advance(2_000)
    expect(await verifier.verify(token)).toBeNull()
    expect(cache.size).toBe(0)
  })

  it('does not answer other claims carrying a cached signature', async () => {
    const { signer, verifier } = await setup()
    const token = await signer.sign(user, session)
    expect(await verifier.verify(token)).toEqual(user)
    const [header, , signature] = token.split('.')
    const forged = base64url.encode(
      JSON.stringify({
        sub: crypto.randomUUID(),
        email: 'mallory@example.test',
        iss: TEST_ISSUER,
        aud: TEST_AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 60,
      }),
    )
    expect(await verifier.verify(`${header}.${forged}.${signature}`)).toBeNull()
  })

  it('does not cache a refused token', async () => {
    const { cache, verifier } = await setup()
    expect(await verifier.verify('not.a.token')).toBeNull()
    expect(cache.size).toBe(0)
  })

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const { signer, cache, verifier } = await setup(2)
    for (let i = 0; i < 3; i++) {
      const token = await signer.sign(
        { id: crypto.randomUUID(), email: `u${i}@example.test` },
        session,
      )
      expect(await verifier.verify(token)).not.toBeNull()
    }
    expect(cache.size).toBe(2)
  })
})
