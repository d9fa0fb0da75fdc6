import type { Database } from '@twtix/common/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
const cookieOf = (res: Response) => res.headers.get('Set-Cookie') ?? ''

describe('POST /api/users/signup', () => {
  it('creates the user, returns id, email and token, and sets the session cookie', async () => {
    const email = newEmail()
    const res = await auth.json('/api/users/signup', { email, password })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body).toEqual({ id: expect.any(String), email, role: 'user', token: expect.any(String) })
    const cookie = cookieOf(res)
    expect(cookie).toMatch(/^session=[\w-]+\.[\w-]+\.[\w-]+;/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).not.toContain('Secure')
  })

  it('marks the cookie Secure when configured', async () => {
    const secure = await createTestAuthService(database, { COOKIE_SECURE: 'true' })
    const res = await secure.json('/api/users/signup', { email: newEmail(), password })
    expect(cookieOf(res)).toContain('Secure')
  })

  it.each([
    [{ email: 'not-an-email', password }, 'email', 'Email must be valid'],
    [
      { email: newEmail(), password: 'short' },
      'password',
      'Password must be between 8 and 128 characters',
    ],
    [
      { email: newEmail(), password: 'x'.repeat(129) },
      'password',
      'Password must be between 8 and 128 characters',
    ],
    [{ email: 42, password }, 'email', 'Email must be a string'],
    [{ password }, 'email', 'email is required'],
    [{ email: newEmail() }, 'password', 'password is required'],
  ])('rejects %j with a message on %s', async (body, field, message) => {
    const res = await auth.json('/api/users/signup', body)
    expect(res.status).toBe(400)
    const { errors } = await res.json()
    expect(errors).toContainEqual({ field, message })
  })

  it('rejects an email already used in another case, and keeps one account', async () => {
    const email = newEmail()
    expect((await auth.json('/api/users/signup', { email, password })).status).toBe(201)
    const again = await auth.json('/api/users/signup', { email: email.toUpperCase(), password })
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual({ errors: [{ message: 'Email in use' }] })
    const signin = await auth.json('/api/users/signin', { email: email.toUpperCase(), password })
    expect(signin.status).toBe(200)
  })
})

describe('POST /api/users/signin', () => {
  it('signs in with the right password', async () => {
    const email = newEmail()
    const { id } = await (await auth.json('/api/users/signup', { email, password })).json()
    const res = await auth.json('/api/users/signin', { email, password })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id, email })
    expect(cookieOf(res)).toContain('session=')
  })

  it('answers an unknown email and a wrong password the same way', async () => {
    const email = newEmail()
    await auth.json('/api/users/signup', { email, password })
    const wrong = await auth.json('/api/users/signin', { email, password: 'wrong password' })
    const unknown = await auth.json('/api/users/signin', { email: newEmail(), password })
    expect(wrong.status).toBe(400)
    expect(unknown.status).toBe(400)
    expect(await wrong.json()).toEqual(await unknown.json())
    expect(cookieOf(wrong)).toBe('')
  })
})

describe('session', () => {
  it('currentuser reads the cookie and the bearer token; signout clears the cookie', async () => {
    const email = newEmail()
    const signup = await auth.json('/api/users/signup', { email, password })
    const { id, token } = await signup.json()
    const cookie = cookieOf(signup).split(';')[0] as string
    const byCookie = await auth.get('/api/users/currentuser', { Cookie: cookie })
    expect(await byCookie.json()).toEqual({ currentUser: { id, email, role: 'user' } })
    const byBearer = await auth.get('/api/users/currentuser', { Authorization: `Bearer ${token}` })
    expect(await byBearer.json()).toEqual({ currentUser: { id, email, role: 'user' } })
    const out = await auth.json('/api/users/signout', {})
    expect(out.status).toBe(200)
    expect(await out.json()).toEqual({})
    expect(cookieOf(out)).toMatch(/^session=;.*Max-Age=0/)
  })

  it('currentuser is null without a session or with an expired one', async () => {
    const anonymous = await auth.get('/api/users/currentuser')
    expect(await anonymous.json()).toEqual({ currentUser: null })
    const { token } = await (
      await auth.json('/api/users/signup', { email: newEmail(), password })
    ).json()
    auth.clock.advance(25 * 3600 * 1000)
    const expired = await auth.get('/api/users/currentuser', { Authorization: `Bearer ${token}` })
    expect(await expired.json()).toEqual({ currentUser: null })
  })

  it('publishes its public keys as a JWKS without private parts', async () => {
    const res = await auth.get('/api/users/.well-known/jwks.json')
    const { keys } = await res.json()
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      kid: expect.any(String),
    })
    expect(keys[0].d).toBeUndefined()
  })
})
