import { type Context, Hono, type Next } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import { PayloadTooLargeError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { TokenVerifier } from '../tokens/verifier.ts'
import { type AuthVariables, currentUser } from './current-user.ts'
import { errorHandler, notFoundHandler } from './error-handler.ts'

export type AppVariables = AuthVariables & { requestId: string }
export type AppEnv = { Variables: AppVariables }

export type ServiceAppOptions = {
  logger: Logger
  /** Without one (a worker with no user routes) every request is anonymous. */
  verifier?: TokenVerifier
  /** Checks the database and bus; throws when not ready. */
  ready?: () => Promise<void>
  maxBodyBytes?: number
  /**
   * Other limits for some bodies, such as a file upload: the first whose `path` matches and
   * whose `types` include the body's media type replaces `maxBodyBytes` (still enforced while
   * the body is read); any other body there keeps the usual limit.
   */
  bodyLimits?: { path: RegExp; types: string[]; maxBytes: number; message?: string }[]
}

/**
 * The skeleton every service's app shares: request id, access log, body limit, current user,
 * `/health` and `/ready`, the one error handler and the JSON 404.
 */
export function createServiceApp(options: ServiceAppOptions) {
  const { logger } = options
  const app = new Hono<AppEnv>()
  app.use(requestId())
  app.use(async function accessLog(c, next) {
    const started = performance.now()
    await next()
    logger.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    })
  })
  app.use(async function securityHeaders(c, next) {
    // Set before the handler, so the answer is built with them. Set after it, on Node each one
    // rebuilt the answer as a web stream (Hono replaces a finished response to change a header,
    // and node-server then streams it instead of writing its text at once): a third of a small
    // answer's cost. What a handler sets overrides them (its own Cache-Control).
    c.header('X-Content-Type-Options', 'nosniff')
    // What a session asked for is that user's own: no shared cache may keep it.
    const raw = c.req.raw.headers
    const personal = raw.has('authorization') || raw.has('cookie')
    if (personal) c.header('Cache-Control', 'no-store')
    await next()
    // An answer not built through the context (a Response returned as it is) has not got them.
    const { headers } = c.res
    if (!headers.has('x-content-type-options')) c.header('X-Content-Type-Options', 'nosniff')
    const cookie = headers.has('set-cookie')
    if ((personal || cookie) && !headers.has('cache-control')) c.header('Cache-Control', 'no-store')
  })
  app.use(async function closeUnreadBodies(c, next) {
    await next()
    // An answer sent before the body was read (a 413, a route that never read it) leaves the
    // rest of the body on the wire: the server drops such a connection, so a keep-alive client
    // would lose its next request on it. Saying `Connection: close` makes it open a new one.
    const raw = c.req.raw
    const hasBody = raw.headers.has('content-length') || raw.headers.has('transfer-encoding')
    if (hasBody && (c.res.status === 413 || !raw.bodyUsed)) c.header('Connection', 'close')
  })
  const limiter = (maxSize: number, message?: string) => {
    const tooLarge = () => {
      throw new PayloadTooLargeError(message)
    }
    // Hono's bodyLimit counts a streamed (chunked) body as it is read.
    const streamed = bodyLimit({ maxSize, onError: tooLarge })
    // A body of known length is judged by its header, as bodyLimit does, without asking for the
    // body's stream first: on Node that built the whole web Request, and the body was then read
    // through it instead of directly.
    return (c: Context, next: Next) => {
      const length = c.req.header('Content-Length')
      if (length === undefined || c.req.header('Transfer-Encoding') !== undefined) {
        return streamed(c, next)
      }
      return Number.parseInt(length, 10) > maxSize ? tooLarge() : next()
    }
  }
  const limitBody = limiter(options.maxBodyBytes ?? 64 * 1024)
  const otherLimits = (options.bodyLimits ?? []).map((l) => ({
    ...l,
    limit: limiter(l.maxBytes, l.message),
  }))
  // A GET or HEAD has no body to limit; asking for it would build the whole web Request.
  app.use((c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    const other = otherLimits.find((l) => l.path.test(c.req.path) && l.types.includes(type))
    return (other?.limit ?? limitBody)(c, next)
  })
  app.use(currentUser(options.verifier ?? { verify: async () => null }))
  app.get('/health', (c) => c.json({ status: 'ok' }))
  app.get('/ready', async (c) => {
    try {
      await options.ready?.()
      return c.json({ status: 'ready' })
    } catch (err) {
      logger.warn('not ready', { error: err })
      return c.json({ errors: [{ message: 'Not ready' }] }, 503)
    }
  })
  app.onError(errorHandler(logger))
  app.notFound(notFoundHandler)
  return app
}
