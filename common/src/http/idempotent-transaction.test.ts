import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { manualClock } from '../clock.ts'
import type { Database } from '../db/database.ts'
import { BadRequestError } from '../errors.ts'
import { memoryLogger } from '../logger.ts'
import { inTransaction } from '../outbox/transaction.ts'
import { createFixtureDatabase } from '../testing/fixture-database.ts'
import { idempotencyKeys, processedEvents } from '../testing/fixture-schema.ts'
import { createTestAuth, type TestAuth } from '../testing/test-auth.ts'
import { idempotentTransaction } from './idempotent-transaction.ts'
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

/** Each handler writes a row in the request's transaction, then answers or fails as `then` says. */
/** A refusal for the moment only: the key does not keep it. */
class NotNowError extends BadRequestError {
  override readonly keptForRetries = false
}

function setup(then: 'answer' | 'refuse' | 'refuse for now' | 'fail' = 'answer') {
  const consumer = crypto.randomUUID()
  let runs = 0
  const app = createServiceApp({ logger: memoryLogger(), verifier: auth.verifier })
  const routes = new Hono<AppEnv>()
  routes.post(
    '/things',
    idempotentTransaction({
      db: database.db,
      table: idempotencyKeys,
      clock: manualClock(),
      transaction: (work) => inTransaction(database, work),
    }),
    validate('json', v.object({ a: v.number('a must be a number') })),
    async (c) => {
      runs++
      await c.var.tx.db.insert(processedEvents).values({ consumer, eventId: crypto.randomUUID() })
      if (then === 'refuse') throw new BadRequestError(`refused on run ${runs}`)
      if (then === 'refuse for now') throw new NotNowError(`not now on run ${runs}`)
      if (then === 'fail') throw new Error('boom')
      return c.json({ run: runs, body: c.req.valid('json') }, 201)
    },
  )
  app.route('/', routes)
  const written = async () =>
    (await database.db.select().from(processedEvents).where(eq(processedEvents.consumer, consumer)))
      .length
  const stored = async (key: string) =>
    database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))
  return { app, runs: () => runs, written, stored }
}

async function send(app: Hono<AppEnv>, headers: Record<string, string>, body: unknown) {
  return app.request('/things', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

async function keyed() {
  const key = crypto.randomUUID()
  return { key, headers: { ...(await auth.user()).headers, 'Idempotency-Key': key } }
}

describe('idempotentTransaction', () => {
  it("commits the handler's write and the stored answer together, and replays that answer", async () => {
    const { app, runs, written, stored } = setup()
    const { key, headers } = await keyed()

    const first = await send(app, headers, { a: 1 })
    const retry = await send(app, headers, { a: 1 })

    expect(first.status).toBe(201)
    expect(retry.status).toBe(201)
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await retry.json()).toEqual(await first.json())
    expect([runs(), await written()]).toEqual([1, 1])
    const [row] = await stored(key)
    expect(row?.status).toBe(201)
    expect(JSON.parse(row?.body ?? '')).toEqual({ run: 1, body: { a: 1 } })
  })

  it('refuses the same key with another body (422), running nothing', async () => {
    const { app, runs, written } = setup()
    const { headers } = await keyed()
    expect((await send(app, headers, { a: 1 })).status).toBe(201)

    const other = await send(app, headers, { a: 2 })

    expect(other.status).toBe(422)
    expect((await other.json()).errors[0].message).toMatch(/different request/)
    expect([runs(), await written()]).toEqual([1, 1])
  })

  it('rolls back a failed request (5xx) with its key, so a retry runs it again', async () => {
    const { app, runs, written, stored } = setup('fail')
    const { key, headers } = await keyed()

    expect((await send(app, headers, { a: 1 })).status).toBe(500)
    expect(await stored(key)).toHaveLength(0)
    expect((await send(app, headers, { a: 1 })).status).toBe(500)

    expect([runs(), await written()]).toEqual([2, 0])
  })

  it("rolls back a refused request's writes but keeps its answer for the retry", async () => {
    const { app, runs, written, stored } = setup('refuse')
    const { key, headers } = await keyed()

    const first = await send(app, headers, { a: 1 })
    const retry = await send(app, headers, { a: 1 })

    expect(first.status).toBe(400)
    expect(retry.status).toBe(400)
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true')
    expect((await retry.json()).errors[0].message).toBe('refused on run 1')
    expect([runs(), await written()]).toEqual([1, 0])
    expect((await stored(key))[0]?.status).toBe(400)
  })

  it('keeps no answer for a refusal that holds only for the moment: a retry runs again', async () => {
    const { app, runs, written, stored } = setup('refuse for now')
    const { key, headers } = await keyed()

    const first = await send(app, headers, { a: 1 })
    const retry = await send(app, headers, { a: 1 })

    expect(first.status).toBe(400)
    expect(retry.status).toBe(400)
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull()
    expect((await retry.json()).errors[0].message).toBe('not now on run 2')
    expect([runs(), await written()]).toEqual([2, 0])
    expect(await stored(key)).toEqual([])
  })

  it('keeps no key for a request refused as malformed, so the corrected one may use it', async () => {
    const { app, runs, stored } = setup()
    const { key, headers } = await keyed()

    expect((await send(app, headers, { a: 'one' })).status).toBe(400)
    expect((await send(app, headers, '{"a":')).status).toBe(400)
    expect(await stored(key)).toHaveLength(0)
    const corrected = await send(app, headers, { a: 1 })

    expect(corrected.status).toBe(201)
    expect(corrected.headers.get('Idempotent-Replayed')).toBeNull()
    expect(runs()).toBe(1)
  })

  it('runs one of several duplicates sent at once; the others wait for its answer and replay it', async () => {
    const { app, runs, written } = setup()
    const { headers } = await keyed()

    const answers = await Promise.all(Array.from({ length: 5 }, () => send(app, headers, { a: 1 })))

    // The claim is part of the first one's transaction: the others wait on the key's row until it
    // commits with its answer, so none is told "in progress".
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201])
    expect(answers.filter((r) => r.headers.get('Idempotent-Replayed') === 'true')).toHaveLength(4)
    for (const res of answers) expect(await res.json()).toEqual({ run: 1, body: { a: 1 } })
    expect([runs(), await written()]).toEqual([1, 1])
  })

  it('runs a request without a key in a transaction too, rolled back when it fails', async () => {
    const answering = setup()
    const failing = setup('fail')
    const { headers } = await auth.user()

    expect((await send(answering.app, headers, { a: 1 })).status).toBe(201)
    expect((await send(answering.app, headers, { a: 1 })).status).toBe(201)
    expect((await send(failing.app, headers, { a: 1 })).status).toBe(500)

    expect(await answering.written()).toBe(2)
    expect([failing.runs(), await failing.written()]).toEqual([1, 0])
  })

  it('rejects an unusable key before opening the transaction', async () => {
    const { app, runs } = setup()
    const res = await send(app, { 'Idempotency-Key': 'x'.repeat(300) }, { a: 1 })
    expect(res.status).toBe(400)
    expect(runs()).toBe(0)
  })
})
