export { describeRoute } from 'hono-openapi'
export { apiDocsRoutes, docsPage } from './docs-ui.ts'
export {
  API_VERSION,
  type OpenApiDocument,
  routesDocument,
  type ServiceInfo,
  serveRoutesDocument,
} from './document.ts'
export { ErrorBody } from './errors.ts'
export { inputSchema, resolverOptions } from './json-schema.ts'
export { mergeDocuments } from './merge.ts'
export {
  adminsOnly,
  errorResponse,
  idempotencyErrors,
  idempotencyKeyHeader,
  idempotentReplayedHeader,
  jsonResponse,
  payloadTooLarge,
  type ResponseDoc,
  retryAfter,
  serverError,
  serviceUnavailable,
  sharedResponses,
  tooManyRequests,
  unauthorized,
} from './responses.ts'
export { optionallySignedIn, securitySchemes, signedIn } from './security.ts'
export { type RequestDoc, validate } from './validate.ts'
