/** One entry of the error body every twtix service returns: `{errors: [{message, field?}]}`. */
export type ErrorItem = { message: string; field?: string }

/** An error that is safe to show to the caller: it knows its status and its body. */
export abstract class HttpError extends Error {
  abstract readonly status: number
  /**
   * Whether an Idempotency-Key keeps this answer for the key's retries (the default). False for a
   * refusal that holds only for the moment, such as a ticket another order holds: a retry with
   * the same key runs again.
   */
  readonly keptForRetries: boolean = true
  serialize(): ErrorItem[] {
    return [{ message: this.message }]
  }
  headers(): Record<string, string> {
    return {}
  }
}

export class BadRequestError extends HttpError {
  readonly status = 400
}

export class NotAuthorizedError extends HttpError {
  readonly status = 401
  constructor(message = 'Not authorized') {
    super(message)
  }
}

export class ForbiddenError extends HttpError {
  readonly status = 403
  constructor(message = 'Forbidden') {
    super(message)
  }
}

export class NotFoundError extends HttpError {
  readonly status = 404
  constructor(message = 'Not found') {
    super(message)
  }
}

export class ConflictError extends HttpError {
  readonly status = 409
}

/** 410: what was there for this client is no longer (a refunded order's delivery). */
export class GoneError extends HttpError {
  readonly status = 410
}

export class PaymentRequiredError extends HttpError {
  readonly status = 402
}

export class PayloadTooLargeError extends HttpError {
  readonly status = 413
  constructor(message = 'Request body is too large') {
    super(message)
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  readonly status = 415
}

export class TooManyRequestsError extends HttpError {
  readonly status = 429
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds: number, message = 'Too many attempts, try again later') {
    super(message)
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds))
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSeconds) }
  }
}

/** A dependency (the database) cannot answer for a moment: the caller may retry shortly. */
export class ServiceUnavailableError extends HttpError {
  readonly status = 503
  constructor(message = 'Service temporarily unavailable') {
    super(message)
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': '1' }
  }
}

export class RequestValidationError extends HttpError {
  readonly status = 400
  readonly items: ErrorItem[]
  constructor(items: ErrorItem[]) {
    super(items.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '))
    this.items = items
  }
  override serialize(): ErrorItem[] {
    return this.items
  }
}
