import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { unavailableCode } from '../db/unavailable.ts'
import { type ErrorItem, HttpError, ServiceUnavailableError } from '../errors.ts'
import type { Logger } from '../logger.ts'

function body(errors: ErrorItem[]) {
  return { errors }
}

/**
 * The one error handler: known errors render as `{errors:[...]}` with their status; anything
 * else is logged with the request id and becomes a 500 that reveals nothing, except a database
 * outage (a restart, a dropped connection): a 503 with Retry-After, which a client may retry.
 */
export function errorHandler(logger: Logger): ErrorHandler {
  return function handleError(err: Error, c: Context) {
    const outage = unavailableCode(err)
    if (outage) {
      logger.warn('database unavailable', {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        code: outage,
      })
      err = new ServiceUnavailableError()
    }
    if (err instanceof HttpError) {
      for (const [k, value] of Object.entries(err.headers())) c.header(k, value)
      return c.json(body(err.serialize()), err.status as ContentfulStatusCode)
    }
    if (err instanceof HTTPException && err.status < 500) {
      const message =
        err.status === 413 ? 'Request body is too large' : err.message || 'Bad request'
      return c.json(body([{ message }]), err.status as ContentfulStatusCode)
    }
    logger.error('unhandled error', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      error:
        err instanceof Error
          ? { name: err.name, message: err.message, stack: err.stack, cause: err.cause }
          : err,
    })
    return c.json(body([{ message: 'Something went wrong' }]), 500)
  }
}

export const notFoundHandler: NotFoundHandler = (c) =>
  c.json(body([{ message: 'Route not found' }]), 404)
