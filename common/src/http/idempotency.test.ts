import { Hono } from 'hono'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { manualClock } from '../clock.ts'
import type { Database } from '../db/database.ts'
import { memoryLogger } from '../logger.ts'
import { createFixtureDatabase } from '../testing/fixture-database.ts'
import { idempotencyKeys } from '../testing/fixture-schema.ts'
import { createTestAuth, type TestAuth } from '../testing/test-auth.ts'
import { eventually } from '../testing/test-database.ts'
import { idempotency } from './idempotency.ts'
import { type AppEnv, createServiceApp } from './service-app.ts'
import { validate } from './validate.ts'

let database: Database
let auth: TestAuth
beforeAll(async () => {
  database = await createFixtureDatabase()
  auth = await createTestAuth()
})
afterAll(async () => {
  await database?.close()
})

function setup() {
  const clock = manualClock()
  let created = 0
  const app = createServiceApp({ logger: memoryLogger(), verifier: auth.verifier })
  const routes = new Hono<AppEnv>()
  routes.post(
    '/things',
    idempotency({ db: database.db, table: idempotencyKeys, clock }),
    async (c) => {
      created++
      return c.json({ n: created, body: await c.req.json() }, 201)
    },
  )
  routes.post('/fails', idempotency({ db: database.db, table: idempotencyKeys, clock }), () => {
    created++
    throw new Error('boom')
  })
  app.route('/', routes)
  return { app, clock, count: () => created }
}

async function send(
  app: ReturnType<typeof setup>['app'],
  headers: Record<string, string>,
  body: unknown,
  path = '/things',
) {
  return app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

describe('idempotency', () => {
  it('runs the request again once the stored response has expired (24 h), with any body', async () => {
    const { app, clock, count } = setup()
    const { headers } = await auth.user()
    const key = { ...headers, 'Idempotency-Key': crypto.randomUUID() }
    const first = await send(app, key, { a: 1 })
    clock.advance(24 * 60 * 60 * 1000 - 1)
    const replayed = await send(app, key, { a: 1 })
    expect(replayed.headers.get('Idempotent-Replayed')).toBe('true')
    clock.advance(2)
    const again = await send(app, key, { a: 2 })
    expect([first.status, again.status]).toEqual([201, 201])
    expect(again.headers.get('Idempotent-Replayed')).toBeNull()
    expect(await again.json()).toEqual({ n: 2, body: { a: 2 } })
    const replayedAgain = await send(app, key, { a: 2 })
    expect(replayedAgain.headers.get('Idempotent-Replayed')).toBe('true')
    expect(count()).toBe(2)
  })

  it('replays the stored response for the same key and body', async () => {
    const { app, count } = setup()
    const { headers } = await auth.user()
    const key = { ...headers, 'Idempotency-Key': crypto.randomUUID() }
    const first = await send(app, key, { a: 1 })
    const second = await send(app, key, { a: 1 })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(await second.json()).toEqual(await first.json())
    expect(second.headers.get('Idempotent-Replayed')).toBe('true')
    expect(count()).toBe(1)
  })

  it('refuses the same key with another body (422) and keeps keys per user', async () => {
    const { app, count } = setup()
    const a = await auth.user()
    const b = await auth.user()
    const key = crypto.randomUUID()
    await send(app, { ...a.headers, 'Idempotency-Key': key }, { a: 1 })
    const other = await send(app, { ...a.headers, 'Idempotency-Key': key }, { a: 2 })
    expect(other.status).toBe(422)
    expect((await other.json()).errors[0].message).toMatch(/different request/)
    const otherUser = await send(app, { ...b.headers, 'Idempotency-Key': key }, { a: 2 })
    expect(otherUser.status).toBe(201)
    expect(count()).toBe(2)
  })

  it('runs again after 24 hours, and after a 5xx', async () => {
    const { app, clock, count } = setup()
    const { headers } = await auth.user()
    const key = { ...headers, 'Idempotency-Key': crypto.randomUUID() }
    await send(app, key, { a: 1 })
    clock.advance(24 * 3600 * 1000 + 1)
    await send(app, key, { a: 1 })
    expect(count()).toBe(2)
    const failKey = { ...headers, 'Idempotency-Key': crypto.randomUUID() }
    expect((await send(app, failKey, {}, '/fails')).status).toBe(500)
    expect((await send(app, failKey, {}, '/fails')).status).toBe(500)
    expect(count()).toBe(4)
  })

  it('keeps no key for a request refused as malformed, so the corrected one may use it', async () => {
    const { app, count } = setup()
    const validated = new Hono<AppEnv>()
    validated.post(
      '/validated',
      idempotency({ db: database.db, table: idempotencyKeys, clock: manualClock() }),
      validate('json', v.object({ a: v.number('a must be a number') })),
      (c) => c.json({ ok: true }, 201),
    )
    app.route('/', validated)
    const { headers } = await auth.user()
    const key = { ...headers, 'Idempotency-Key': crypto.randomUUID() }
    expect((await send(app, key, { a: 'one' }, '/validated')).status).toBe(400)
    const malformed = await app.request('/validated', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...key },
      body: '{"a":',
    })
    expect(malformed.status).toBe(400)
    const corrected = await send(app, key, { a: 1 }, '/validated')
    expect(corrected.status).toBe(201)
    expect(corrected.headers.get('Idempotent-Replayed')).toBeNull()
    expect(count()).toBe(0)
  })

  it('lets a retry take over a key whose request died unanswered (a killed process)', async () => {
    const { app, clock } = setup()
    let calls = 0
    let release: () => void = () => {}
    const hung = new Promise<void>((resolve) => {
      release = resolve
    })
    const dies = new Hono<AppEnv>()
    dies.post(
      '/dies',
      idempotency({ db: database.db, table: idempotencyKeys, clock }),
      async (c) => {
        calls++
        // The first call never answers, as if its process were killed mid-request.
        if (calls === 1) await hung
        return c.json({ call: calls }, 201)
      },
    )
    app.route('/', dies)
    const { headers } = await auth.user()
    const key = { ...headers, 'Idempotency-Key': crypto.randomUUID() }
    const first = send(app, key, { a: 1 }, '/dies')
    await eventually(() => calls === 1)
    clock.advance(59_000)
    expect((await send(app, key, { a: 1 }, '/dies')).status).toBe(409)
    clock.advance(2000)
    expect((await send(app, key, { a: 2 }, '/dies')).status).toBe(422)
    const retried = await send(app, key, { a: 1 }, '/dies')
    expect(retried.status).toBe(201)
    expect(await retried.json()).toEqual({ call: 2 })
    const replayed = await send(app, key, { a: 1 }, '/dies')
    expect(replayed.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await replayed.json()).toEqual({ call: 2 })
    release()
    await first
  })

  it('rejects an unusable key', async () => {
    const { app, count } = setup()
    const res = await send(app, { 'Idempotency-Key': 'x'.repeat(300) }, {})
    expect(res.status).toBe(400)
    expect(count()).toBe(0)
  })
})
