import type { DescribeRouteOptions } from 'hono-openapi'
import { resolver } from 'hono-openapi'
import type { OpenAPIV3_1 } from 'openapi-types'
import type * as v from 'valibot'
import type { ErrorItem } from '../errors.ts'
import { ErrorBody } from './errors.ts'
import { resolverOptions } from './json-schema.ts'

type Responses = NonNullable<DescribeRouteOptions['responses']>
export type ResponseDoc = Responses[string]

/** A JSON response: the valibot schema of what the route returns and a realistic example. */
export function jsonResponse(
  description: string,
  schema: v.GenericSchema,
  example: unknown,
  headers?: Record<string, OpenAPIV3_1.HeaderObject>,
): ResponseDoc {
  return {
    description,
    ...(headers && { headers }),
    content: { 'application/json': { schema: resolver(schema, resolverOptions), example } },
  }
}

/**
 * An error response in the one error shape, with a named example for each message the route can
 * give: a string, or an item with the `field` of a validation error.
 */
export function errorResponse(
  description: string,
  examples: Record<string, string | ErrorItem>,
  headers?: Record<string, OpenAPIV3_1.HeaderObject>,
): ResponseDoc {
  const named = Object.entries(examples).map(([name, item]) => {
    const error = typeof item === 'string' ? { message: item } : item
    return [name, { summary: error.message, value: { errors: [error] } }] as const
  })
  return {
    description,
    ...(headers && { headers }),
    content: {
      'application/json': {
        schema: resolver(ErrorBody, resolverOptions),
        examples: Object.fromEntries(named),
      },
    },
  }
}

/** The `Retry-After` header of a 429 or a 503. */
export const retryAfter = (example: number) => ({
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer' as const, minimum: 1 },
    example,
  },
})

/** The responses any route can give, described once and referenced by every operation. */
export const sharedResponses = {
  Unauthorized: errorResponse('Not signed in: no session, or an expired or forged token', {
    notSignedIn: 'Not authorized',
  }),
  AdminsOnly: errorResponse('Signed in, but not an admin (ADMIN_EMAILS)', {
    notAdmin: 'Admins only',
  }),
  PayloadTooLarge: errorResponse('The body is over the limit (64 KiB)', {
    tooLarge: 'Request body is too large',
  }),
  TooManyRequests: errorResponse(
    'Too many attempts from this address or for this email; wait `Retry-After` seconds',
    { limited: 'Too many attempts, try again later' },
    retryAfter(42),
  ),
  ServiceUnavailable: errorResponse(
    'The database or the service is briefly out of reach (a restart): retry after `Retry-After` seconds',
    { unavailable: 'Service temporarily unavailable' },
    retryAfter(1),
  ),
  ServerError: errorResponse(
    'A fault on our side: logged with the request id, and the body reveals nothing',
    { fault: 'Something went wrong' },
  ),
} satisfies Record<string, ResponseDoc>

const ref = (name: keyof typeof sharedResponses) => ({ $ref: `#/components/responses/${name}` })

/** 401 when the route needs a session. */
export const unauthorized = ref('Unauthorized')
/** 403 from an admin route to a signed-in user who is not an admin. */
export const adminsOnly = ref('AdminsOnly')
/** 413 for a route that takes a body. */
export const payloadTooLarge = ref('PayloadTooLarge')
/** 429 from a rate-limited route. */
export const tooManyRequests = ref('TooManyRequests')
/** 500, possible on every route. */
export const serverError = ref('ServerError')
/** 503, possible on every route: a database outage or no replica answering. */
export const serviceUnavailable = ref('ServiceUnavailable')

/** The `Idempotency-Key` header of the routes that honour it. */
export const idempotencyKeyHeader: OpenAPIV3_1.ParameterObject = {
  in: 'header',
  name: 'Idempotency-Key',
  required: false,
  description:
    'Makes a retry safe: the same key with the same body within 24 hours gets the first ' +
    'response again (marked `Idempotent-Replayed: true`) instead of doing the work twice. The ' +
    'same key with another body is a 422; a retry while the first is still running is a 409 ' +
    '(orders: it waits for the first and gets its response). A refusal that holds only for the ' +
    'moment (a ticket another order holds) is not kept: the retry runs again. ' +
    '1 to 255 visible ASCII characters, per user.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
  example: '8f14e45f-ceea-4672-9c1b-3f7d9e2b6a10',
}

/** The header a replayed idempotent response carries. */
export const idempotentReplayedHeader: Record<string, OpenAPIV3_1.HeaderObject> = {
  'Idempotent-Replayed': {
    description: '`true` when this is the stored response to an earlier request with the same key',
    schema: { type: 'string', enum: ['true'] },
  },
}

/** 409 and 422 of the routes that honour `Idempotency-Key`. */
export const idempotencyErrors = {
  409: errorResponse('A request with this `Idempotency-Key` is still running', {
    inProgress: 'A request with this Idempotency-Key is in progress',
  }),
  422: errorResponse('This `Idempotency-Key` was used with another request body', {
    mismatch: 'This Idempotency-Key was used with a different request',
  }),
} satisfies Responses
