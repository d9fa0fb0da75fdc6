import { Agent, request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryLogger } from '../logger.ts'
import { answerText } from './idempotency.ts'
import { type RunningServer, serveHttp } from './serve.ts'
import { createServiceApp } from './service-app.ts'

// Over a real socket: what a keep-alive client sees after an answer sent before its body was read.
const app = createServiceApp({ logger: memoryLogger('error'), maxBodyBytes: 64 * 1024 })
app.post('/echo', async (c) => c.json(await c.req.json()))
app.post('/ignore', (c) => c.json({ ignored: true }))
app.get('/plain', () => new Response('made outside the context', { status: 202 }))
app.get('/cached', (c) => c.json({ public: true }, 200, { 'Cache-Control': 'public, max-age=60' }))
app.get('/cookie', (c) => c.json({ set: true }, 200, { 'Set-Cookie': 'session=abc; HttpOnly' }))
/** What the idempotency middleware does to store an answer: read its text, keep it sendable. */
const kept: string[] = []
app.post(
  '/stored',
  async (c, next) => {
    await next()
    kept.push(await answerText(c))
  },
  async (c) => c.json({ echoed: await c.req.json() }, 201, { Location: '/stored/1' }),
)

let server: RunningServer
const agent = new Agent({ keepAlive: true, maxSockets: 1 })
beforeAll(async () => {
  server = await serveHttp(app.fetch, { port: 0, hostname: '127.0.0.1' })
})
afterAll(async () => {
  agent.destroy()
  await server.close()
})

function send(path: string, body: string | string[]) {
  return new Promise<{ status: number; connection?: string; text: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        agent,
        // Chunks go out without a length: chunked, as a streaming client sends them.
        headers: {
          'Content-Type': 'application/json',
          ...(typeof body === 'string' ? { 'Content-Length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => {
          text += chunk
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }),
        )
      },
    )
    req.on('error', reject)
    if (typeof body === 'string') req.end(body)
    else {
      for (const chunk of body) req.write(chunk)
      req.end()
    }
  })
}

describe('an answer sent before the request body was read', () => {
  const big = JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) })

  it('closes the connection after a 413, so the next request goes out on a fresh one', async () => {
    const refused = await send('/echo', big)
    expect(refused.status).toBe(413)
    expect(refused.connection).toBe('close')
    const next = await send('/echo', '{"a":1}')
    expect(next).toMatchObject({ status: 200, text: '{"a":1}' })
  })

  it('closes it after a route that never read its body, and keeps it open when the body was read', async () => {
    const ignored = await send('/ignore', JSON.stringify({ blob: 'x'.repeat(60 * 1024) }))
    expect(ignored).toMatchObject({ status: 200, connection: 'close' })
    const read = await send('/echo', '{"b":2}')
    expect(read).toMatchObject({ status: 200, text: '{"b":2}' })
    expect(read.connection).not.toBe('close')
  })
})

describe('the body limit over a real socket', () => {
  it('refuses a body whose length says it is too large, and one that grows too large in chunks', async () => {
    const lengthSaid = await send('/echo', JSON.stringify({ blob: 'x'.repeat(65 * 1024) }))
    expect(lengthSaid.status).toBe(413)
    expect(JSON.parse(lengthSaid.text)).toEqual({ errors: [{ message: expect.any(String) }] })
    const chunk = 'x'.repeat(16 * 1024)
    const chunked = await send('/echo', ['{"blob":"', chunk, chunk, chunk, chunk, chunk, '"}'])
    expect(chunked.status).toBe(413)
  })

  it('hands on a body within the limit, sent with its length or in chunks', async () => {
    expect(await send('/echo', '{"c":3}')).toMatchObject({ status: 200, text: '{"c":3}' })
    const chunked = await send('/echo', ['{"d":', '4}'])
    expect(chunked).toMatchObject({ status: 200, text: '{"d":4}' })
  })
})

describe('response headers over a real socket', () => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${server.port}${path}`, { headers })

  it('says nosniff on every answer, one made outside the context too', async () => {
    for (const path of ['/plain', '/cached', '/nowhere']) {
      const res = await get(path)
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      await res.arrayBuffer()
    }
    const plain = await get('/plain')
    expect({ status: plain.status, text: await plain.text() }).toEqual({
      status: 202,
      text: 'made outside the context',
    })
  })

  it("says no-store to a session's request and on a cookie, unless the route said otherwise", async () => {
    const personal = await get('/plain', { Authorization: 'Bearer x' })
    expect(personal.headers.get('Cache-Control')).toBe('no-store')
    const byCookie = await get('/nowhere', { Cookie: 'session=x' })
    expect(byCookie.headers.get('Cache-Control')).toBe('no-store')
    const anonymous = await get('/plain')
    expect(anonymous.headers.get('Cache-Control')).toBeNull()
    const cookieSet = await get('/cookie')
    expect(cookieSet.headers.get('Cache-Control')).toBe('no-store')
    const ownChoice = await get('/cached', { Authorization: 'Bearer x' })
    expect(ownChoice.headers.get('Cache-Control')).toBe('public, max-age=60')
    await Promise.all([personal, byCookie, anonymous, cookieSet, ownChoice].map((r) => r.text()))
  })

  it('sends an answer whose text was read to be stored as it was: status, headers and body', async () => {
    kept.length = 0
    const res = await fetch(`http://127.0.0.1:${server.port}/stored`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"e":5}',
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('Location')).toBe('/stored/1')
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(await res.text()).toBe('{"echoed":{"e":5}}')
    expect(kept).toEqual(['{"echoed":{"e":5}}'])
  })
})
