import type { Database } from '@twtix/common/db'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { users } from '../db/schema.ts'
import { authTestDatabase, createTestAuthService, newEmail } from '../test-support.ts'

let database: Database
beforeAll(async () => {
  database = await authTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

const password = 'correct horse'

describe('ADMIN_EMAILS', () => {
  it('makes a user signing up with a listed email (any case) an admin, in the token too', async () => {
    const email = newEmail()
    const auth = await createTestAuthService(database, {
      ADMIN_EMAILS: ` other@example.test , ${email.toUpperCase()}`,
    })
    const res = await auth.json('/api/users/signup', { email, password })
    const body = await res.json()
    expect(body.role).toBe('admin')
    expect(decodeJwt(body.token).role).toBe('admin')
    const me = await auth.get('/api/users/currentuser', { Authorization: `Bearer ${body.token}` })
    expect((await me.json()).currentUser).toEqual({ id: body.id, email, role: 'admin' })

    const plain = await auth.json('/api/users/signup', { email: newEmail(), password })
    const plainBody = await plain.json()
    expect(plainBody.role).toBe('user')
    expect(decodeJwt(plainBody.token).role).toBe('user')
  })

  it('makes a user who signed up before being listed an admin at the next sign-in', async () => {
    const email = newEmail()
    const before = await createTestAuthService(database)
    const signup = await (await before.json('/api/users/signup', { email, password })).json()
    expect(signup.role).toBe('user')

    const after = await createTestAuthService(database, { ADMIN_EMAILS: email })
    const res = await after.json('/api/users/signin', { email, password })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.role).toBe('admin')
    expect(decodeJwt(body.token).role).toBe('admin')
    const rows = await database.db.select({ id: users.id, role: users.role }).from(users)
    expect(rows.find((r) => r.id === signup.id)?.role).toBe('admin')
  })

  it('keeps the role when the session is refreshed', async () => {
    const email = newEmail()
    const auth = await createTestAuthService(database, { ADMIN_EMAILS: email })
    const res = await auth.json('/api/users/signup', { email, password })
    const refreshCookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('refresh='))
      ?.split(';')[0]
    expect(refreshCookie).toBeDefined()
    const refreshed = await auth.json('/api/users/refresh', {}, { Cookie: refreshCookie ?? '' })
    expect(refreshed.status).toBe(200)
    expect(decodeJwt((await refreshed.json()).token).role).toBe('admin')
  })

  it('refuses a list that is not emails at start-up', async () => {
    await expect(createTestAuthService(database, { ADMIN_EMAILS: 'root' })).rejects.toThrow(
      /ADMIN_EMAILS/,
    )
  })
})
