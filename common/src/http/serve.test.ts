import { Agent, request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryLogger } from '../logger.ts'
import { type RunningServer, serveHttp } from './serve.ts'
import { createServiceApp } from './service-app.ts'

// Over a real socket: what a keep-alive client sees after an answer sent before its body was read.
const app = createServiceApp({ logger: memoryLogger('error'), maxBodyBytes: 64 * 1024 })
app.post('/echo', async (c) => c.json(await c.req.json()))
app.post('/ignore', (c) => c.json({ ignored: true }))

let server: RunningServer
const agent = new Agent({ keepAlive: true, maxSockets: 1 })
beforeAll(async () => {
  server = await serveHttp(app.fetch, { port: 0, hostname: '127.0.0.1' })
})
afterAll(async () => {
  agent.destroy()
  await server.close()
})

function send(path: string, body: string) {
  return new Promise<{ status: number; connection?: string; text: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
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
    req.end(body)
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
