import { Hono } from 'hono'
import { base64url, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { manualClock } from '../clock.ts'
import { type AuthVariables, currentUser, requireAdmin, requireAuth } from '../http/current-user.ts'
import { errorHandler } from '../http/error-handler.ts'
import { memoryLogger } from '../logger.ts'
import { createTestAuth, TEST_AUDIENCE, TEST_ISSUER } from '../testing/test-auth.ts'
import { generateSigningKey } from './keys.ts'
import { createSigner } from './signer.ts'
import { createVerifier } from './verifier.ts'

const user = { id: crypto.randomUUID(), email: 'buyer@example.test', role: 'user' as const }
const session = { sessionId: crypto.randomUUID() }

describe('tokens', () => {
  it('verifies what the signer signed', async () => {
    const auth = await createTestAuth()
    expect(await auth.verifier.verify(await auth.signer.sign(user, session))).toEqual(user)
  })

  it('rejects an expired token', async () => {
    const auth = await createTestAuth()
    const signer = await createSigner(auth.key, {
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      ttlSeconds: 60,
    })
    const token = await signer.sign(user, session)
    const later = createVerifier({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      loadKeys: async () => ({ keys: [auth.key.publicJwk] }),
      now: () => new Date(Date.now() + 61_000),
    })
    expect(await later.verify(token)).toBeNull()
  })

  it('rejects a token signed by another key, even with the same key id', async () => {
    const auth = await createTestAuth()
    const other = await generateSigningKey()
    const impostor = await createSigner(
      { ...other, kid: auth.key.kid, privateJwk: { ...other.privateJwk, kid: auth.key.kid } },
      { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttlSeconds: 60 },
    )
    expect(await auth.verifier.verify(await impostor.sign(user, session))).toBeNull()
  })

  it('rejects alg:none', async () => {
    const auth = await createTestAuth()
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))
    const now = Math.floor(Date.now() / 1000)
    const payload = base64url.encode(
      JSON.stringify({
        sub: user.id,
        email: user.email,
        sid: session.sessionId,
        iss: TEST_ISSUER,
        aud: TEST_AUDIENCE,
        exp: now + 60,
      }),
    )
    expect(await auth.verifier.verify(`${header}.${payload}.`)).toBeNull()
  })

  it('rejects HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const auth = await createTestAuth()
    const secret = new TextEncoder().encode(JSON.stringify(auth.key.publicJwk))
    const token = await new SignJWT({ email: user.email, sid: session.sessionId })
      .setProtectedHeader({ alg: 'HS256', kid: auth.key.kid })
      .setSubject(user.id)
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1m')
      .sign(secret)
    expect(await auth.verifier.verify(token)).toBeNull()
  })

  it('rejects a tampered payload', async () => {
    const auth = await createTestAuth()
    const [h, , s] = (await auth.signer.sign(user, session)).split('.')
    const forged = base64url.encode(JSON.stringify({ sub: crypto.randomUUID(), email: 'x@y.z' }))
    expect(await auth.verifier.verify(`${h}.${forged}.${s}`)).toBeNull()
  })

  it('rejects a token for another audience or issuer', async () => {
    const auth = await createTestAuth()
    const { privateKey, publicKey } = await generateKeyPair('ES256')
    const kid = 'k1'
    const verifier = createVerifier({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      loadKeys: async () => ({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256' }] }),
    })
    const token = await new SignJWT({ email: user.email, sid: session.sessionId })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(user.id)
      .setIssuer('someone-else')
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1m')
      .sign(privateKey)
    expect(await verifier.verify(token)).toBeNull()
    expect(auth).toBeDefined()
  })

  it('reloads the keys when a token names an unknown key id (rotation)', async () => {
    const first = await generateSigningKey()
    const second = await generateSigningKey()
    let keys = [first.publicJwk]
    const verifier = createVerifier({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      loadKeys: async () => ({ keys }),
      reloadIntervalMs: 0,
    })
    const signer = await createSigner(second, {
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      ttlSeconds: 60,
    })
    const token = await signer.sign(user, session)
    expect(await verifier.verify(token)).toBeNull()
    keys = [first.publicJwk, second.publicJwk]
    expect(await verifier.verify(token)).toEqual(user)
  })
})

describe('sessions and key refresh', () => {
  it('refuses a token without a session id, and one whose session is revoked', async () => {
    const key = await generateSigningKey()
    const revoked = new Set<string>()
    const verifier = createVerifier({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      loadKeys: async () => ({ keys: [key.publicJwk] }),
      isRevoked: (sid) => revoked.has(sid),
    })
    const privateKey = await importJWK(key.privateJwk, 'ES256')
    const bare = await new SignJWT({ email: user.email })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setSubject(user.id)
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1m')
      .sign(privateKey)
    expect(await verifier.verify(bare)).toBeNull()
    const signer = await createSigner(key, {
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      ttlSeconds: 60,
    })
    const token = await signer.sign(user, session)
    expect(await verifier.verifySession?.(token)).toEqual({ user, sessionId: session.sessionId })
    revoked.add(session.sessionId)
    expect(await verifier.verify(token)).toBeNull()
  })

  it('never lets a token outlive its session', async () => {
    const auth = await createTestAuth()
    const clock = manualClock(new Date())
    const signer = await createSigner(auth.key, {
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      ttlSeconds: 900,
      now: clock,
    })
    const expiresAt = new Date(clock().getTime() + 60_000)
    const token = await signer.sign(user, { sessionId: session.sessionId, expiresAt })
    const verifier = createVerifier({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      loadKeys: async () => ({ keys: [auth.key.publicJwk] }),
      now: clock,
    })
    expect(await verifier.verify(token)).toEqual(user)
    clock.advance(61_000)
    expect(await verifier.verify(token)).toBeNull()
    // Sign-out still finds the session of a token that expired a moment ago.
    expect((await verifier.verifySession?.(token, 3600))?.sessionId).toBe(session.sessionId)
  })

  it('reloads the keys every refresh interval, so a retired key stops being trusted', async () => {
    const old = await generateSigningKey()
    const current = await generateSigningKey()
    let keys = [old.publicJwk, current.publicJwk]
    let loads = 0
    const clock = manualClock(new Date())
    const verifier = createVerifier({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      loadKeys: async () => {
        loads++
        return { keys }
      },
      refreshIntervalMs: 300_000,
      now: clock,
    })
    const options = { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttlSeconds: 3600, now: clock }
    const token = await (await createSigner(old, options)).sign(user, session)
    expect(await verifier.verify(token)).toEqual(user)
    keys = [current.publicJwk]
    clock.advance(299_000)
    expect(await verifier.verify(token)).toEqual(user)
    expect(loads).toBe(1)
    clock.advance(1000)
    expect(await verifier.verify(token)).toBeNull()
    expect(loads).toBe(2)
  })

  it('reloads once for the requests that find the keys stale together', async () => {
    const auth = await createTestAuth()
    let loads = 0
    const clock = manualClock(new Date())
    const verifier = createVerifier({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      loadKeys: async () => {
        loads++
        return { keys: [auth.key.publicJwk] }
      },
      refreshIntervalMs: 1000,
      now: clock,
    })
    const token = await auth.signer.sign(user, session)
    const first = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)))
    expect(first.every((u) => u?.id === user.id)).toBe(true)
    clock.advance(1000)
    const second = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)))
    expect(second.every((u) => u?.id === user.id)).toBe(true)
    expect(loads).toBe(2)
  })

  it('keeps the keys it has when a refresh fails', async () => {
    const auth = await createTestAuth()
    let up = true
    const clock = manualClock(new Date())
    const verifier = createVerifier({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      loadKeys: async () => {
        if (!up) throw new Error('auth is down')
        return { keys: [auth.key.publicJwk] }
      },
      refreshIntervalMs: 1000,
      now: clock,
    })
    const token = await auth.signer.sign(user, session)
    expect(await verifier.verify(token)).toEqual(user)
    up = false
    clock.advance(5000)
    expect(await verifier.verify(token)).toEqual(user)
  })
})

describe('currentUser and requireAuth', () => {
  async function app() {
    const auth = await createTestAuth()
    const a = new Hono<{ Variables: AuthVariables }>()
    a.use(currentUser(auth.verifier))
    a.onError(errorHandler(memoryLogger()))
    a.get('/me', (c) => c.json({ user: c.get('currentUser') }))
    a.get('/private', requireAuth, (c) => c.json({ ok: true }))
    a.get('/admin', requireAdmin, (c) => c.json({ ok: true }))
    return { a, auth }
  }

  it('reads a bearer token and the session cookie', async () => {
    const { a, auth } = await app()
    const token = await auth.signer.sign(user, session)
    const bearer = await a.request('/me', { headers: { Authorization: `Bearer ${token}` } })
    expect(await bearer.json()).toEqual({ user })
    const cookie = await a.request('/me', { headers: { Cookie: `session=${token}` } })
    expect(await cookie.json()).toEqual({ user })
  })

  it('never rejects: a bad token leaves the user null', async () => {
    const { a } = await app()
    const res = await a.request('/me', { headers: { Authorization: 'Bearer not.a.token' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ user: null })
  })

  it('requireAuth answers 401 without a valid session', async () => {
    const { a, auth } = await app()
    const res = await a.request('/private')
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ errors: [{ message: 'Not authorized' }] })
    const ok = await a.request('/private', {
      headers: { Authorization: `Bearer ${await auth.signer.sign(user, session)}` },
    })
    expect(ok.status).toBe(200)
  })

  it('requireAdmin answers 401 signed out, 403 to a user and lets an admin through', async () => {
    const { a, auth } = await app()
    expect((await a.request('/admin')).status).toBe(401)
    const asUser = await a.request('/admin', { headers: (await auth.user()).headers })
    expect(asUser.status).toBe(403)
    expect(await asUser.json()).toEqual({ errors: [{ message: 'Admins only' }] })
    const admin = await auth.admin()
    const asAdmin = await a.request('/admin', { headers: admin.headers })
    expect(asAdmin.status).toBe(200)
    const me = await a.request('/me', { headers: admin.headers })
    expect((await me.json()).user.role).toBe('admin')
  })

  it('takes a token without a role claim (signed before roles) for a user', async () => {
    const { a, auth } = await app()
    const privateKey = await importJWK(auth.key.privateJwk, 'ES256')
    const token = await new SignJWT({ email: user.email, sid: session.sessionId })
      .setProtectedHeader({ alg: 'ES256', kid: auth.key.kid })
      .setSubject(user.id)
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1m')
      .sign(privateKey)
    const me = await a.request('/me', { headers: { Authorization: `Bearer ${token}` } })
    expect((await me.json()).user).toEqual(user)
    expect(
      (await a.request('/admin', { headers: { Authorization: `Bearer ${token}` } })).status,
    ).toBe(403)
  })
})
