import { type JsonSchema, toJsonSchema } from '@valibot/to-json-schema'
import type * as v from 'valibot'

/**
 * What a request schema accepts, as JSON Schema 2020-12 (OpenAPI 3.1's dialect). The input side:
 * a query string that a pipe turns into a number is documented as the string it arrives as.
 * Actions JSON Schema cannot say (a `check`) are left to the route's description.
 */
export function inputSchema(schema: v.GenericSchema): JsonSchema {
  const { $schema: _, ...json } = toJsonSchema(schema, {
    target: 'draft-2020-12',
    typeMode: 'input',
    errorMode: 'ignore',
  })
  return json
}

/** Options for hono-openapi's `resolver`: the response schemas in the same dialect. */
export const resolverOptions = { options: { target: 'draft-2020-12' } }
