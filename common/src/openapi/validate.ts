import { uniqueSymbol } from 'hono-openapi'
import type * as v from 'valibot'
import { validate as validateOnly } from '../http/validate.ts'
import { inputSchema } from './json-schema.ts'

type Target = 'json' | 'query' | 'param'

export type RequestDoc = {
  /** A realistic value: the body, or one value per parameter. */
  example?: unknown
  /** What the schema cannot say itself, such as a rule across fields. */
  description?: string
}

type JsonObjectSchema = {
  properties?: Record<string, Record<string, unknown> & { description?: string }>
  required?: string[]
}

function parameters(target: 'query' | 'param', schema: v.GenericSchema, doc: RequestDoc) {
  const json = inputSchema(schema) as JsonObjectSchema
  const example = (doc.example ?? {}) as Record<string, unknown>
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property
    const parameter: Record<string, unknown> = {
      in: target === 'param' ? 'path' : 'query',
      name,
      required: target === 'param' || (json.required?.includes(name) ?? false),
      schema: rest,
    }
    if (description) parameter.description = description
    if (example[name] !== undefined) parameter.example = example[name]
    return parameter
  })
}

function requestSpec(target: Target, schema: v.GenericSchema, doc: RequestDoc) {
  if (target !== 'json') return { parameters: parameters(target, schema, doc) }
  const media: Record<string, unknown> = { schema: inputSchema(schema) }
  if (doc.example !== undefined) media.example = doc.example
  return {
    requestBody: {
      required: true,
      ...(doc.description && { description: doc.description }),
      content: { 'application/json': media },
    },
  }
}

/**
 * `common`'s `validate`, and the same schema in the route's OpenAPI operation: the body or the
 * parameters are documented by exactly what the route checks, so the two cannot drift.
 */
export function validate<T extends Target, S extends v.GenericSchema>(
  target: T,
  schema: S,
  doc: RequestDoc = {},
) {
  return Object.assign(validateOnly(target, schema), {
    [uniqueSymbol]: { spec: requestSpec(target, schema, doc) },
  })
}
