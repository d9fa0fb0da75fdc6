import { readFileSync } from 'node:fs'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { committedApiDocsRoutes } from './api-docs.ts'

describe('the whole API’s documentation, served by auth for the ingress', () => {
  const app = new Hono().route('/api', committedApiDocsRoutes())

  it('serves the committed document at /api/openapi.json', async () => {
    const res = await app.request('/api/openapi.json')
    expect(res.status).toBe(200)
    const committed = new URL('../../../../docs/generated/openapi.json', import.meta.url)
    expect(await res.json()).toEqual(JSON.parse(readFileSync(committed, 'utf8')))
  })

  it('serves Swagger UI at /api/docs', async () => {
    const res = await app.request('/api/docs')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('"url":"/api/openapi.json"')
  })
})
