import { createServiceApp, HttpError, notFoundHandler } from '@twtix/common'
import type { Context } from 'hono'
import { NONCE, secureHeaders } from 'hono/secure-headers'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ApiUnavailableError } from './api.ts'
import type { Deps } from './deps.ts'
import type { StorefrontContext } from './env.ts'
import { PageError } from './errors.ts'
import { ErrorPage } from './pages/error-page.tsx'
import { render } from './pages/render.tsx'
import { accountRoutes } from './routes/account.tsx'
import { adminClaimsRoutes } from './routes/admin-claims.tsx'
import { catalogueRoutes } from './routes/catalogue.tsx'
import { DELIVERY_FORM_PATH, deliveryRoutes } from './routes/delivery.tsx'
import { eventsRoutes } from './routes/events.tsx'
import { ordersRoutes } from './routes/orders.tsx'
import { salesRoutes } from './routes/sales.tsx'
import { sellingRoutes } from './routes/selling.tsx'
import { sameOriginPosts } from './same-origin.ts'
import { session } from './session.ts'

function errorPage(c: Context, status: ContentfulStatusCode, title: string, message: string) {
  const page = <ErrorPage title={title} message={message} />
  return render(c as StorefrontContext, title, page, { status })
}

/** The storefront: HTML pages over the public API, nothing stored, no I/O but the API. */
export function createApp(deps: Deps) {
  const { logger } = deps
  const app = createServiceApp({
    logger,
    // The delivery form may carry a 2 MB file, with room for the form around it.
    bodyLimits: [
      {
        path: DELIVERY_FORM_PATH,
        types: ['multipart/form-data'],
        maxBytes: 2 * 1024 * 1024 + 64 * 1024,
        message: 'The file must be at most 2 MB',
      },
    ],
  })
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: [NONCE, 'https://js.stripe.com'],
        styleSrc: [NONCE],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'https://api.stripe.com'],
        frameSrc: ['https://js.stripe.com', 'https://hooks.stripe.com'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      // The same-origin check falls back on Referer, so keep it for this origin.
      referrerPolicy: 'same-origin',
      // TLS is the ingress's business.
      strictTransportSecurity: false,
    }),
  )
  app.use(async function noSharedCaching(c, next) {
    await next()
    c.header('Cache-Control', 'private, no-cache')
  })
  app.use(sameOriginPosts(deps.config.PUBLIC_URL))
  app.use(session(deps))
  app.route('/', catalogueRoutes())
  app.route('/', eventsRoutes(deps))
  app.route('/', sellingRoutes(deps))
  app.route('/', accountRoutes())
  app.route('/', ordersRoutes(deps))
  app.route('/', deliveryRoutes())
  app.route('/', salesRoutes())
  app.route('/', adminClaimsRoutes())

  app.notFound((c) => {
    // Behind the ingress every unknown path reaches the storefront; API paths keep API errors.
    if (c.req.path.startsWith('/api/')) return notFoundHandler(c)
    return errorPage(c, 404, 'Not found', 'We could not find that page.')
  })

  app.onError((err, c) => {
    if (err instanceof PageError) return errorPage(c, err.status, err.title, err.message)
    if (err instanceof HttpError && err.status < 500) {
      const status = err.status as ContentfulStatusCode
      return errorPage(c, status, 'Request refused', err.message)
    }
    const requestId = c.get('requestId')
    if (err instanceof ApiUnavailableError) {
      logger.warn('API unavailable', { requestId, error: err.message })
      c.header('Retry-After', '5')
      return errorPage(
        c,
        503,
        'Temporarily unavailable',
        'The marketplace is not answering right now. Please try again in a moment.',
      )
    }
    logger.error('unhandled error', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      error: { name: err.name, message: err.message, stack: err.stack },
    })
    return errorPage(
      c,
      500,
      'Something went wrong',
      'Please try again. If it keeps happening, tell us.',
    )
  })
  return app
}
