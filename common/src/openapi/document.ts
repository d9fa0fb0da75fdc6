import { type Context, type Env, Hono } from 'hono'
import { routePath } from 'hono/route'
import { generateSpecs } from 'hono-openapi'
import type { OpenAPIV3_1 } from 'openapi-types'
import { sharedResponses } from './responses.ts'
import { securitySchemes } from './security.ts'

export type OpenApiDocument = OpenAPIV3_1.Document

export type ServiceInfo = {
  /** The document's title, e.g. "twtix tickets". */
  title: string
  description: string
  /** The tag every operation of the service carries, with what it groups. */
  tag: OpenAPIV3_1.TagObject
  /** Tags of route sets the service serves under other prefixes (tickets serves events). */
  moreTags?: OpenAPIV3_1.TagObject[]
}

/** Route sets a service serves under prefixes of their own, by prefix. */
export type SiblingRoutes = Record<string, AnyHono[]>

export const OPENAPI_VERSION = '3.1.0'
export const API_VERSION = '0.1.0'
/** Relative to the document: the origin that serves it (the ingress or the embedded start). */
export const servers: OpenAPIV3_1.ServerObject[] = [
  { url: '/', description: 'The origin serving this document' },
]

// biome-ignore lint/suspicious/noExplicitAny: route sets of any environment are documented alike
type AnyHono = Hono<any, any, any>

/**
 * The OpenAPI document of route sets as mounted under `prefix`, from the `describeRoute` and
 * `validate` middleware on their routes. Routes without documentation (the document route itself,
 * `/health`) are left out. The result is plain JSON in a stable order.
 */
export async function routesDocument(
  prefix: string,
  routes: AnyHono[],
  info: ServiceInfo,
  siblings: SiblingRoutes = {},
): Promise<OpenApiDocument> {
  const mounted = new Hono()
  for (const r of routes) mounted.route(prefix, r)
  for (const [at, set] of Object.entries(siblings)) for (const r of set) mounted.route(at, r)
  const generated = await generateSpecs(mounted, {
    documentation: { components: { responses: sharedResponses } },
    excludeStaticFile: false,
    defaultValidationErrorResponse: false,
  })
  const plain = JSON.parse(JSON.stringify(generated)) as OpenApiDocument
  return {
    openapi: OPENAPI_VERSION,
    info: { title: info.title, version: API_VERSION, description: info.description },
    servers,
    tags: [info.tag, ...(info.moreTags ?? [])],
    paths: plain.paths ?? {},
    components: {
      schemas: sortKeys(plain.components?.schemas ?? {}),
      responses: plain.components?.responses ?? {},
      securitySchemes,
    },
  }
}

/**
 * The handler of a service's `<prefix>/openapi.json`: the prefix is where it is mounted, so the
 * paths read as the ingress routes them. Built on the first request, then kept.
 */
export function serveRoutesDocument(
  routes: () => AnyHono[],
  info: ServiceInfo,
  siblings: () => SiblingRoutes = () => ({}),
) {
  let document: Promise<OpenApiDocument> | undefined
  return async function openApiDocument<E extends Env>(c: Context<E>) {
    const prefix = routePath(c).replace(/\/openapi\.json$/, '')
    document ??= routesDocument(prefix, routes(), info, siblings())
    return c.json(await document)
  }
}

export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
