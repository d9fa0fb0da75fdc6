import { Hono } from 'hono'
import postgres from 'postgres'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../errors.ts'
import { memoryLogger } from '../logger.ts'
import { createTestAuth } from '../testing/test-auth.ts'
import { createServiceApp } from './service-app.ts'
import { validate } from './validate.ts'

const Body = v.object({
  title: v.pipe(v.string('Title must be a string'), v.trim(), v.nonEmpty('Title is required')),
  price: v.pipe(v.number('Price must be a number'), v.integer('Price must be a whole number')),
})

async function setup() {
  const auth = await createTestAuth()
  const logger = memoryLogger()
  const app = createServiceApp({ logger, verifier: auth.verifier, maxBodyBytes: 1024 })
  const routes = new Hono()
  routes.post('/things', validate('json', Body), (c) => c.json(c.req.valid('json'), 201))
  routes.get(
    '/things/:id',
    validate('param', v.object({ id: v.pipe(v.string(), v.uuid('Bad id')) })),
    (c) => c.json({ id: c.req.valid('param').id }),
  )
  routes.get('/broken', () => {
    throw new Error('database password is hunter2')
  })
  routes.get('/outage', async () => {
    // Nothing listens on port 1: a real connection failure, wrapped as drizzle wraps it.
    const sql = postgres('postgres://twtix@127.0.0.1:1/twtix', { connect_timeout: 2, max: 1 })
    try {
      await sql`select 1`
    } catch (cause) {
      throw new Error('Failed query: select 1', { cause })
    } finally {
      await sql.end({ timeout: 0 })
    }
  })
  routes.get('/shutting-down', () => {
    throw new Error('Failed query', {
      cause: Object.assign(new Error('the database system is shutting down'), { code: '57P03' }),
    })
  })
  routes.get('/refused', () => {
    throw new BadRequestError('Nope')
  })
  app.route('/', routes)
  const post = (body: string, type = 'application/json') =>
    app.request('/things', { method: 'POST', body, headers: { 'Content-Type': type } })
  return { app, logger, post }
}

describe('createServiceApp: validation and errors', () => {
  it('accepts a valid body and hands the parsed value on', async () => {
    const { post } = await setup()
    const res = await post(JSON.stringify({ title: '  Concert ', price: 500 }))
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ title: 'Concert', price: 500 })
  })

  it('reports one entry per bad field, each naming its field', async () => {
    const { post } = await setup()
    const res = await post(JSON.stringify({ title: '', price: 1.5 }))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      errors: [
        { message: 'Title is required', field: 'title' },
        { message: 'Price must be a whole number', field: 'price' },
      ],
    })
  })

  it('names a missing field as required', async () => {
    const { post } = await setup()
    const res = await post(JSON.stringify({ price: 5 }))
    expect(await res.json()).toEqual({ errors: [{ message: 'title is required', field: 'title' }] })
  })

  it('answers malformed JSON and a wrong content type with 400', async () => {
    const { post } = await setup()
    const malformed = await post('{"title": ')
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toEqual({
      errors: [{ message: 'Malformed JSON in request body' }],
    })
    const wrongType = await post('title=x', 'application/x-www-form-urlencoded')
    expect(wrongType.status).toBe(400)
    expect(await wrongType.json()).toEqual({
      errors: [{ message: 'Content-Type must be application/json' }],
    })
  })

  it('answers a JSON body that is not an object with 400, in words', async () => {
    const { post } = await setup()
    for (const body of ['null', '[]', '"text"', '42', 'true']) {
      const res = await post(body)
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({
        errors: [{ message: 'Request body must be a JSON object' }],
      })
    }
  })

  it('refuses text PostgreSQL cannot store (NUL, unpaired surrogates) with 400 naming the field', async () => {
    const { post } = await setup()
    const nul = await post(JSON.stringify({ title: 'a\u0000b', price: 5 }))
    expect(nul.status).toBe(400)
    expect(await nul.json()).toEqual({
      errors: [{ message: 'title must not contain NUL characters', field: 'title' }],
    })
    const surrogate = await post(JSON.stringify({ title: 'a\ud800b', price: 5 }))
    expect(surrogate.status).toBe(400)
    expect(await surrogate.json()).toEqual({
      errors: [{ message: 'title must be valid Unicode text', field: 'title' }],
    })
    const emoji = await post(
      JSON.stringify({ title: '\u{1F1EF}\u{1F1F5} \u0301 \u200b', price: 5 }),
    )
    expect(emoji.status).toBe(201)
  })

  it('answers an oversized body with 413', async () => {
    const { post } = await setup()
    const res = await post(JSON.stringify({ title: 'x'.repeat(5000), price: 1 }))
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ errors: [{ message: 'Request body is too large' }] })
  })

  it('answers a malformed path parameter with 400, not 500', async () => {
    const { app } = await setup()
    const res = await app.request('/things/not-a-uuid')
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: 'Bad id', field: 'id' }] })
  })

  it('renders known errors with their status', async () => {
    const { app } = await setup()
    const res = await app.request('/refused')
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ errors: [{ message: 'Nope' }] })
  })

  it('turns an unexpected error into a 500 without internals, logged with the request id', async () => {
    const { app, logger } = await setup()
    const res = await app.request('/broken', { headers: { 'X-Request-Id': 'req-123' } })
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Something went wrong' }] })
    expect(text).not.toContain('hunter2')
    const logged = logger.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error')
    expect(logged?.requestId).toBe('req-123')
  })

  it('answers a database outage with 503 and Retry-After, logged as a warning without a stack', async () => {
    const { app, logger } = await setup()
    for (const path of ['/outage', '/shutting-down']) {
      const res = await app.request(path, { headers: { 'X-Request-Id': `req-${path.slice(1)}` } })
      expect(res.status).toBe(503)
      expect(res.headers.get('Retry-After')).toBe('1')
      expect(await res.json()).toEqual({ errors: [{ message: 'Service temporarily unavailable' }] })
    }
    const logged = logger.lines
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === 'database unavailable')
    expect(logged.map((l) => [l.requestId, l.code])).toEqual([
      ['req-outage', 'ECONNREFUSED'],
      ['req-shutting-down', '57P03'],
    ])
    expect(logger.lines.join('\n')).not.toContain('stack')
  })

  it('answers unknown routes with 404 in the error shape', async () => {
    const { app } = await setup()
    const res = await app.request('/nowhere')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ errors: [{ message: 'Route not found' }] })
  })

  it('serves /health', async () => {
    const { app } = await setup()
    expect((await app.request('/health')).status).toBe(200)
  })
})

describe('createServiceApp: response headers', () => {
  it('says nosniff on every answer and no-store on what a session asked for', async () => {
    const { app } = await setup()
    const auth = await createTestAuth()
    const { headers } = await auth.user()
    const id = crypto.randomUUID()
    const anonymous = await app.request(`/things/${id}`)
    expect(anonymous.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(anonymous.headers.get('Cache-Control')).toBeNull()
    const personal = await app.request(`/things/${id}`, { headers })
    expect(personal.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(personal.headers.get('Cache-Control')).toBe('no-store')
    const byCookie = await app.request(`/things/${id}`, { headers: { Cookie: 'session=x' } })
    expect(byCookie.headers.get('Cache-Control')).toBe('no-store')
    const missing = await app.request('/nowhere')
    expect(missing.headers.get('X-Content-Type-Options')).toBe('nosniff')
  })
})

describe('createServiceApp: body limits by path and media type', () => {
  const app = createServiceApp({
    logger: memoryLogger(),
    maxBodyBytes: 100,
    bodyLimits: [{ path: /^\/upload$/, types: ['image/png'], maxBytes: 1000, message: 'Too big' }],
  })
  app.put('/upload', async (c) => c.json({ size: (await c.req.arrayBuffer()).byteLength }))
  const put = (size: number, type: string, path = '/upload') =>
    app.request(path, {
      method: 'PUT',
      body: new Uint8Array(size),
      headers: { 'Content-Type': type },
    })

  it('lets that path take bodies of that type up to its own limit, and no more', async () => {
    expect(await (await put(1000, 'image/png')).json()).toEqual({ size: 1000 })
    const over = await put(1001, 'image/png')
    expect(over.status).toBe(413)
    expect(await over.json()).toEqual({ errors: [{ message: 'Too big' }] })
  })

  it('keeps the usual limit for other types there, and for that type elsewhere', async () => {
    expect((await put(101, 'application/json')).status).toBe(413)
    expect((await put(101, 'image/png', '/elsewhere')).status).toBe(413)
    expect((await put(100, 'application/json')).status).toBe(200)
  })
})
