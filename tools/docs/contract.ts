import type { OpenApiDocument } from '@twtix/common/openapi'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

type Json = Record<string, unknown>
type Handler = (...args: never[]) => unknown
export type MountedRoute = { method: string; path: string; handler: Handler }
export type Operation = {
  security?: Json[]
  parameters?: (Json & { in?: string; name?: string; schema?: Json; example?: unknown })[]
  requestBody?: { content?: Record<string, Media> }
  responses?: Record<string, Response | { $ref: string }>
}
type Media = { schema?: Json; example?: unknown; examples?: Record<string, { value?: unknown }> }
type Response = { description: string; content?: Record<string, Media> }

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const

/** `GET /api/tickets/{id}` for every operation of the document. */
export function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item?.[m]).map((m) => `${m.toUpperCase()} ${path}`),
  )
}

/** The API routes an app mounts, by `GET /api/tickets/{id}`, with every handler on each. */
export function mountedRoutes(routes: MountedRoute[]): Map<string, Handler[]> {
  const byRoute = new Map<string, Handler[]>()
  for (const route of routes) {
    if (route.method === 'ALL') continue // middleware of the whole app
    if (['/health', '/ready'].includes(route.path) || route.path.endsWith('/openapi.json')) continue
    // The documentation itself (auth serves the merged document and Swagger UI for the ingress).
    if (route.path === '/api/docs' || route.path.startsWith('/api/docs/')) continue
    const key = `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`
    byRoute.set(key, [...(byRoute.get(key) ?? []), route.handler])
  }
  return byRoute
}

export function operationOf(document: OpenApiDocument, route: string): Operation | undefined {
  const [method, path] = route.split(' ') as [string, string]
  const item = document.paths?.[path] as Record<string, Operation> | undefined
  return item?.[method.toLowerCase()]
}

/** The documented route a concrete request path falls on: a literal path before a template. */
export function routeFor(document: OpenApiDocument, method: string, path: string) {
  const candidates = documentedRoutes(document).filter((r) => r.startsWith(`${method} `))
  const literal = candidates.find((r) => r === `${method} ${path}`)
  if (literal) return literal
  return candidates.find((r) => {
    const template = r.slice(method.length + 1)
    const pattern = template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')
    return new RegExp(`^${pattern}$`).test(path)
  })
}

export function responseOf(document: OpenApiDocument, operation: Operation, status: number) {
  const response = operation.responses?.[String(status)] ?? operation.responses?.default
  if (!response || !('$ref' in response)) return response
  const name = response.$ref.replace('#/components/responses/', '')
  return document.components?.responses?.[name] as Response | undefined
}

const base = 'https://twtix.test/components'

/** Schemas as the tests read them: every object closed, so an undocumented field fails. */
function strict(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strict)
  if (value === null || typeof value !== 'object') return value
  const schema = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strict(v)])) as Json
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/components/schemas/')) {
    schema.$ref = `${base}#/$defs/${schema.$ref.slice('#/components/schemas/'.length)}`
  }
  if (schema.properties && schema.additionalProperties === undefined) {
    schema.additionalProperties = false
  }
  return schema
}

/**
 * Checks values against the document's schemas with Ajv (JSON Schema 2020-12, OpenAPI 3.1's
 * dialect); returns what does not match, empty when everything does.
 */
export function schemaChecker(document: OpenApiDocument) {
  const ajv = new Ajv2020({ allErrors: true })
  addFormats(ajv)
  ajv.addKeyword('example')
  ajv.addSchema({ $id: base, $defs: strict(document.components?.schemas ?? {}) })
  return function check(schema: Json, value: unknown): string[] {
    const validate = ajv.compile(strict(schema) as Json)
    if (validate(value)) return []
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`)
  }
}

/** Every example in the document, with the schema it should match and where it is. */
export function examplesOf(document: OpenApiDocument) {
  const found: { where: string; schema: Json; value: unknown }[] = []
  const media = (where: string, content: Record<string, Media> | undefined) => {
    for (const [type, m] of Object.entries(content ?? {})) {
      if (!m.schema) continue
      if (m.example !== undefined)
        found.push({ where: `${where} ${type}`, schema: m.schema, value: m.example })
      for (const [name, e] of Object.entries(m.examples ?? {})) {
        found.push({ where: `${where} ${type} ${name}`, schema: m.schema, value: e.value })
      }
    }
  }
  for (const route of documentedRoutes(document)) {
    const operation = operationOf(document, route) as Operation
    for (const p of operation.parameters ?? []) {
      if (p.schema && p.example !== undefined) {
        found.push({ where: `${route} ${p.in} ${p.name}`, schema: p.schema, value: p.example })
      }
    }
    media(`${route} request`, operation.requestBody?.content)
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (!('$ref' in response)) media(`${route} ${status}`, response.content)
    }
  }
  for (const [name, response] of Object.entries(document.components?.responses ?? {})) {
    media(`components.responses.${name}`, (response as Response).content)
  }
  return found
}
