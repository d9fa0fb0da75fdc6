import { randomBytes, scryptSync } from 'node:crypto'
import type { Database } from '@twtix/common/db'
import { eq } from 'drizzle-orm'
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

describe('rate limits', () => {
  it('locks an email after repeated failed sign-ins, with Retry-After, until the window ends', async () => {
    const auth = await createTestAuthService(database, { RATE_LIMIT_SIGNIN_FAILURES: '3' })
    const email = newEmail()
    const password = 'right password'
    await auth.json('/api/users/signup', { email, password })
    for (let i = 0; i < 3; i++) {
      expect(
        (await auth.json('/api/users/signin', { email, password: 'wrong password' })).status,
      ).toBe(400)
    }
    const locked = await auth.json('/api/users/signin', { email, password })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect((await locked.json()).errors[0].message).toMatch(/Too many attempts/)
    auth.clock.advance(15 * 60 * 1000)
    expect((await auth.json('/api/users/signin', { email, password })).status).toBe(200)
  })

  it('checks one password of a parallel burst, not all of them', async () => {
    const auth = await createTestAuthService(database)
    const email = newEmail()
    const password = 'right password'
    await auth.json('/api/users/signup', { email, password })
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        auth.json('/api/users/signin', { email, password: i === 20 ? password : `wrong ${i}` }),
      ),
    )
    const statuses = burst.map((r) => r.status)
    // Every attempt is counted before its password is checked, and one check runs at a time.
    expect(statuses.filter((s) => s === 400 || s === 200).length).toBeLessThanOrEqual(10)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(30)
  })

  it('keys the lockout on the email and the address, so an attacker cannot lock the owner out', async () => {
    const auth = await createTestAuthService(database, {
      RATE_LIMIT_SIGNIN_FAILURES: '3',
      TRUSTED_PROXIES: 'loopback',
    })
    const email = newEmail()
    const password = 'right password'
    await auth.json('/api/users/signup', { email, password })
    const attacker = { 'X-Forwarded-For': '203.0.113.9' }
    for (let i = 0; i < 3; i++) {
      await auth.json('/api/users/signin', { email, password: `wrong ${i}` }, attacker)
    }
    const locked = await auth.json('/api/users/signin', { email, password }, attacker)
    expect(locked.status).toBe(429)
    // Retry-After counts to the end of the window (15 minutes), not a token second.
    const wait = Number(locked.headers.get('Retry-After'))
    expect(wait).toBeGreaterThan(14 * 60)
    expect(wait).toBeLessThanOrEqual(15 * 60)
    auth.clock.advance(5 * 60 * 1000)
    const later = await auth.json('/api/users/signin', { email, password }, attacker)
    expect(Number(later.headers.get('Retry-After'))).toBeLessThanOrEqual(10 * 60)
    const owner = { 'X-Forwarded-For': '198.51.100.7' }
    expect((await auth.json('/api/users/signin', { email, password }, owner)).status).toBe(200)
  })

  it('limits requests per client address', async () => {
    const auth = await createTestAuthService(database, {
      RATE_LIMIT_ADDRESS_PER_MINUTE: '2',
      TRUSTED_PROXIES: 'loopback',
    })
    const from = (address: string) => ({ 'X-Forwarded-For': address })
    const body = { email: newEmail(), password: 'whatever1' }
    await auth.json('/api/users/signin', body, from('10.0.0.1'))
    await auth.json('/api/users/signin', body, from('10.0.0.1'))
    const third = await auth.json('/api/users/signin', body, from('10.0.0.1'))
    expect(third.status).toBe(429)
    expect(third.headers.get('Retry-After')).not.toBeNull()
    const elsewhere = await auth.json('/api/users/signin', body, from('10.0.0.2'))
    expect(elsewhere.status).toBe(400)
  })

  it('limits sign-ups per email', async () => {
    const auth = await createTestAuthService(database, { RATE_LIMIT_SIGNUP_PER_EMAIL: '1' })
    const email = newEmail()
    expect((await auth.json('/api/users/signup', { email, password: 'password1' })).status).toBe(
      201,
    )
    expect((await auth.json('/api/users/signup', { email, password: 'password1' })).status).toBe(
      429,
    )
  })
})

describe('the password', () => {
  it('never appears in a response or a log line, and is stored only as a salted scrypt hash', async () => {
    const auth = await createTestAuthService(database)
    const password = `secret-${crypto.randomUUID()}`
    const email = newEmail()
    const responses = [
      await auth.json('/api/users/signup', { email, password }),
      await auth.json('/api/users/signin', { email, password }),
      await auth.json('/api/users/signin', { email, password: `${password}x` }),
      await auth.json('/api/users/signup', { email, password }),
    ]
    for (const res of responses) expect(await res.text()).not.toContain(password)
    expect(auth.logger.lines.length).toBeGreaterThan(0)
    expect(auth.logger.lines.join('\n')).not.toContain(password)
    const [row] = await database.db.select().from(users).where(eq(users.email, email))
    const hash = row?.passwordHash
    expect(hash).toMatch(/^scrypt\$32768\$8\$3\$[\w+/=]+\$[\w+/=]+$/)
    expect(hash).not.toContain(password)
  })

  it('rehashes a password stored at a lower cost when its owner next signs in', async () => {
    const auth = await createTestAuthService(database)
    const email = newEmail()
    const password = 'an older account'
    await auth.json('/api/users/signup', { email, password })
    // As the hash was stored before the cost was raised: N=2^15, p=1.
    const salt = randomBytes(16)
    const key = scryptSync(password.normalize('NFKC'), salt, 64, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    })
    const old = ['scrypt', 2 ** 15, 8, 1, salt.toString('base64'), key.toString('base64')].join('$')
    await database.db.update(users).set({ passwordHash: old }).where(eq(users.email, email))

    expect((await auth.json('/api/users/signin', { email, password })).status).toBe(200)
    const [row] = await database.db.select().from(users).where(eq(users.email, email))
    expect(row?.passwordHash).toMatch(/^scrypt\$32768\$8\$3\$/)
    expect((await auth.json('/api/users/signin', { email, password })).status).toBe(200)
    expect((await auth.json('/api/users/signin', { email, password: 'wrong' })).status).toBe(400)
  })
})
