import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { notFoundHandler } from '../http/error-handler.ts'
import { apiDocsRoutes } from './docs-ui.ts'

const document = { openapi: '3.1.0', info: { title: 'twtix API', version: '1' }, paths: {} }

function app() {
  const root = new Hono()
  root.route('/api', apiDocsRoutes({ document: () => document }))
  root.notFound(notFoundHandler)
  return root
}

describe('apiDocsRoutes', () => {
  it('serves the document', async () => {
    const res = await app().request('/api/openapi.json')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(document)
  })

  it('serves Swagger UI pointing at the document, with its files from the package', async () => {
    const page = await app().request('/api/docs')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('"url":"/api/openapi.json"')
    // A token typed into the page is forgotten with it, never kept in the browser's storage.
    expect(html).toContain('"persistAuthorization":false')
    expect(html).toContain('src="/api/docs/swagger-ui-bundle.js"')
    const script = await app().request('/api/docs/swagger-ui-bundle.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('Content-Type')).toMatch(/javascript/)
    expect((await script.text()).length).toBeGreaterThan(100_000)
    const css = await app().request('/api/docs/swagger-ui.css')
    expect(css.headers.get('Content-Type')).toMatch(/css/)
  })

  it('serves no other file', async () => {
    const res = await app().request('/api/docs/package.json')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ errors: [{ message: 'Route not found' }] })
  })
})
