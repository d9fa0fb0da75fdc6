import type { Database } from '@twtix/common/db'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REFRESH_REUSE_GRACE_MS } from '../commands/refresh-session.ts'
import { outbox, sessions } from '../db/schema.ts'
import { authTestDatabase, createTestAuthService, newEmail } from '../test-support.ts'

let database: Database
let auth: Awaited<ReturnType<typeof createTestAuthService>>
beforeAll(async () => {
  database = await authTestDatabase()
  auth = await createTestAuthService(database)
})
afterAll(async () => {
  await database?.close()
})

const password = 'correct horse'

/** The `name=value` of a cookie a response sets, and its attributes. */
function setCookie(res: Response, name: string) {
  const line = res.headers.getSetCookie().find((l) => l.startsWith(`${name}=`)) ?? ''
  return { pair: line.split(';')[0] as string, line }
}

async function signUp() {
  const res = await auth.json('/api/users/signup', { email: newEmail(), password })
  const body = await res.json()
  return { ...body, refresh: setCookie(res, 'refresh').pair, res } as {
    id: string
    token: string
    refresh: string
    res: Response
  }
}

const refresh = (cookie: string) => auth.json('/api/users/refresh', {}, { Cookie: cookie })
const currentUser = async (token: string) =>
  (await (await auth.get('/api/users/currentuser', { Authorization: `Bearer ${token}` })).json())
    .currentUser
const sessionIdOf = (refreshCookie: string) => refreshCookie.split('=')[1]?.split('.')[0] as string

async function revokedEvents(sessionId: string) {
  const rows = await database.db.select().from(outbox).where(eq(outbox.key, sessionId))
  return rows.map((r) => JSON.parse(r.payload))
}

describe('sessions: access tokens and refresh', () => {
  it('sets a refresh cookie sent only to the refresh route, HttpOnly, for the session’s life', async () => {
    const { res } = await signUp()
    const { line } = setCookie(res, 'refresh')
    expect(line).toMatch(/^refresh=[0-9a-f-]{36}\.[\w-]{43};/)
    expect(line).toContain('Path=/api/users/refresh')
    expect(line).toContain('HttpOnly')
    expect(line).toContain('Max-Age=86400')
  })

  it('refuses an expired access token; refresh gives a new one and a new secret', async () => {
    const user = await signUp()
    expect(await currentUser(user.token)).toMatchObject({ id: user.id })
    auth.clock.advance(901_000)
    expect(await currentUser(user.token)).toBeNull()

    const renewed = await refresh(user.refresh)
    expect(renewed.status).toBe(200)
    const body = await renewed.json()
    expect(body).toMatchObject({ id: user.id, token: expect.any(String) })
    expect(await currentUser(body.token)).toMatchObject({ id: user.id })
    const next = setCookie(renewed, 'refresh').pair
    expect(next).not.toBe(user.refresh)
    expect(sessionIdOf(next)).toBe(sessionIdOf(user.refresh))
    expect(setCookie(renewed, 'session').pair).toBe(`session=${body.token}`)
  })

  it('takes a replaced secret used again as theft: the session is revoked', async () => {
    const user = await signUp()
    const first = await refresh(user.refresh)
    const current = setCookie(first, 'refresh').pair
    const { token } = await first.json()
    auth.clock.advance(REFRESH_REUSE_GRACE_MS + 1000)

    const stolen = await refresh(user.refresh)
    expect(stolen.status).toBe(401)
    expect(await stolen.json()).toEqual({ errors: [{ message: 'Session ended: sign in again' }] })
    // The owner's current secret and access token are refused too: neither can be told apart.
    expect((await refresh(current)).status).toBe(401)
    expect(await currentUser(token)).toBeNull()
    const [event] = await revokedEvents(sessionIdOf(user.refresh))
    expect(event).toMatchObject({
      type: 'session.revoked',
      source: 'auth',
      data: { id: sessionIdOf(user.refresh), userId: user.id },
    })
  })

  it('refuses, without revoking, two refreshes racing with one secret', async () => {
    const user = await signUp()
    const [a, b] = await Promise.all([refresh(user.refresh), refresh(user.refresh)])
    expect([a.status, b.status].sort()).toEqual([200, 401])
    const winner = a.status === 200 ? a : b
    expect((await refresh(setCookie(winner, 'refresh').pair)).status).toBe(200)
    expect(await revokedEvents(sessionIdOf(user.refresh))).toEqual([])
  })

  it('refuses a forged or unknown secret without ending the session', async () => {
    const user = await signUp()
    const forged = `refresh=${sessionIdOf(user.refresh)}.${'A'.repeat(43)}`
    for (const cookie of [forged, 'refresh=garbage', `refresh=${crypto.randomUUID()}.x`, '']) {
      expect((await refresh(cookie)).status).toBe(401)
    }
    expect((await refresh(user.refresh)).status).toBe(200)
  })

  it('ends the session after SESSION_TTL_SECONDS: no refresh, no token past it', async () => {
    const short = await createTestAuthService(database, {
      SESSION_TTL_SECONDS: '600',
      TOKEN_TTL_SECONDS: '900',
    })
    const res = await short.json('/api/users/signup', { email: newEmail(), password })
    const { token } = await res.json()
    const [, payload] = token.split('.')
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')))
    expect(claims.exp - claims.iat).toBe(600)
    short.clock.advance(601_000)
    const late = await short.json(
      '/api/users/refresh',
      {},
      { Cookie: setCookie(res, 'refresh').pair },
    )
    expect(late.status).toBe(401)
  })
})

describe('POST /api/users/signout', () => {
  it('revokes the session of the token: a copy stops working, refresh too', async () => {
    const user = await signUp()
    const out = await auth.json('/api/users/signout', {}, { Authorization: `Bearer ${user.token}` })
    expect(out.status).toBe(200)
    expect(setCookie(out, 'session').line).toMatch(/Max-Age=0/)
    expect(setCookie(out, 'refresh').line).toMatch(/Max-Age=0.*Path=\/api\/users\/refresh/)
    expect(await currentUser(user.token)).toBeNull()
    expect((await refresh(user.refresh)).status).toBe(401)

    const sessionId = sessionIdOf(user.refresh)
    const [row] = await database.db.select().from(sessions).where(eq(sessions.id, sessionId))
    expect(row?.revokedAt).toBeInstanceOf(Date)
    const [event] = await revokedEvents(sessionId)
    // Verifiers keep the revocation until the last access token has expired (15 minutes).
    const until = new Date(event.data.expiresAt).getTime() - (row?.revokedAt?.getTime() ?? 0)
    expect(until).toBe(900_000)
  })

  it('finds the session by an expired token, or by the refresh cookie alone', async () => {
    const a = await signUp()
    auth.clock.advance(3600_000)
    await auth.json('/api/users/signout', {}, { Cookie: `session=${a.token}` })
    expect((await refresh(a.refresh)).status).toBe(401)

    const b = await signUp()
    await auth.json('/api/users/signout', {}, { Cookie: b.refresh })
    expect(await currentUser(b.token)).toBeNull()
    expect(await revokedEvents(sessionIdOf(b.refresh))).toHaveLength(1)
  })

  it('publishes one event however often the session is signed out', async () => {
    const user = await signUp()
    for (let i = 0; i < 3; i++) {
      const out = await auth.json('/api/users/signout', {}, { Cookie: user.refresh })
      expect(out.status).toBe(200)
    }
    expect(await revokedEvents(sessionIdOf(user.refresh))).toHaveLength(1)
  })
})
