/**
 * The limit beside `GET /api/tickets`: a bare Hono route on @hono/node-server, in a process of its
 * own, answering the same JSON bytes (and Link header) from memory. Forked by limits.ts; says its
 * port over IPC and runs until killed.
 */
import { readFileSync } from 'node:fs'
import process from 'node:process'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const [bodyFile, link] = process.argv.slice(2)
const body = readFileSync(bodyFile as string)
const app = new Hono()
app.get('/api/tickets', (c) => {
  if (link) c.header('Link', link)
  return c.body(body, 200, { 'Content-Type': 'application/json' })
})
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send?.({ port: info.port })
})
