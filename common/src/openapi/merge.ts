import { isDeepStrictEqual } from 'node:util'
import type { OpenAPIV3_1 } from 'openapi-types'
import { OPENAPI_VERSION, type OpenApiDocument, servers, sortKeys } from './document.ts'

type ComponentKind = 'schemas' | 'responses' | 'securitySchemes' | 'parameters'
const kinds: ComponentKind[] = ['schemas', 'responses', 'securitySchemes', 'parameters']

/**
 * One document from the services' own: their paths side by side, their components once. Two
 * services that define the same path or the same component name differently are a mistake, and
 * throw rather than one silently winning.
 */
export function mergeDocuments(
  info: OpenAPIV3_1.InfoObject,
  documents: OpenApiDocument[],
): OpenApiDocument {
  const paths: OpenAPIV3_1.PathsObject = {}
  const tags: OpenAPIV3_1.TagObject[] = []
  const components: Record<ComponentKind, Record<string, unknown>> = {
    schemas: {},
    responses: {},
    securitySchemes: {},
    parameters: {},
  }
  for (const document of documents) {
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      if (paths[path]) throw new Error(`${path} is documented by two services`)
      paths[path] = item
    }
    for (const tag of document.tags ?? []) {
      if (!tags.some((t) => t.name === tag.name)) tags.push(tag)
    }
    for (const kind of kinds) {
      for (const [name, value] of Object.entries(document.components?.[kind] ?? {})) {
        const known = components[kind][name]
        if (known !== undefined && !isDeepStrictEqual(known, value)) {
          throw new Error(`components.${kind}.${name} differs between services`)
        }
        components[kind][name] = value
      }
    }
  }
  const used = kinds.filter((kind) => Object.keys(components[kind]).length > 0)
  return {
    openapi: OPENAPI_VERSION,
    info,
    servers,
    tags,
    paths,
    components: Object.fromEntries(used.map((kind) => [kind, sortKeys(components[kind])])),
  }
}
