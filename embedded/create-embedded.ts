import { dirname, join } from 'node:path'
import {
  type Clock,
  createInProcessBus,
  createLogger,
  errorHandler,
  inProcessHop,
  type JsonWebKeySet,
  type Logger,
  notFoundHandler,
  type RetryPolicy,
  readConfig,
  type Service,
  systemClock,
} from '@twtix/common'
import { createDatabase, type Database } from '@twtix/common/db'
import { Hono } from 'hono'
import { developmentKeyEncryptionKey } from '../services/auth/src/dev-key.ts'
import { StorefrontConfigSchema } from '../services/storefront/src/config.ts'
import { createStorefrontService } from '../services/storefront/src/service.ts'
import { embeddedDocsRoutes } from './docs-routes.ts'
import { services as entries } from './services.ts'

export type EmbeddedOptions = {
  env: Record<string, string | undefined>
  /** PGlite's directory; in memory when absent (tests). Ignored when DATABASE_URL is set. */
  dataDir?: string
  clock?: Clock
  logger?: Logger
  policy?: RetryPolicy
}

export type Embedded = {
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>
  services: Service[]
  database: Database
  /** One line per service and per piece of infrastructure, for the start-up banner. */
  lines: string[]
  stop(): Promise<void>
}

/**
 * Every service in one process: one database holding each service's schema, the in-process bus,
 * each service's app mounted under its prefix as the ingress would route it.
 */
export async function createEmbedded(options: EmbeddedOptions): Promise<Embedded> {
  const logger = options.logger ?? createLogger({ level: 'warn' })
  const clock = options.clock ?? systemClock
  // The embedded start is for trying twtix out: without a Stripe key it takes test cards, and the
  // banner says so; payments itself refuses to start without either.
  const offline =
    options.env.STRIPE_SECRET_KEY || options.env.PAYMENTS_OFFLINE
      ? options.env
      : { ...options.env, PAYMENTS_OFFLINE: 'true' }
  // Nor does it ask for a key to seal auth's signing keys: a development one is kept beside the
  // data (in memory for tests), and the banner says so; auth itself refuses to start without one.
  const devKey = offline.AUTH_KEY_ENCRYPTION_KEY
    ? undefined
    : developmentKeyEncryptionKey(
        options.dataDir && join(dirname(options.dataDir), 'auth-key-encryption-key'),
      )
  const env = devKey ? { ...offline, AUTH_KEY_ENCRYPTION_KEY: devKey.key } : offline
  const url = env.DATABASE_URL || undefined
  const database = await createDatabase({ url, dataDir: url ? undefined : options.dataDir, logger })
  const bus = createInProcessBus({ logger, policy: options.policy })
  const root = new Hono()
  const services: Service[] = []
  const lines: string[] = devKey ? [`${'auth keys'.padEnd(11)} ${devKey.line}`] : []
  let keys: (() => Promise<JsonWebKeySet>) | undefined
  // Single paths a service serves under another's prefix (moreRoutes): as the ingress's regex
  // locations do, they are matched before every prefix.
  const routes: { pattern: RegExp; fetch: Service['app']['fetch'] }[] = []
  root.use('*', async (c, next) => {
    const route = routes.find((r) => r.pattern.test(c.req.path))
    if (route) return route.fetch(c.req.raw, c.env)
    await next()
  })

  for (const entry of entries) {
    if (!entry.create) continue
    const config = readConfig(entry.schema, env)
    const service = await entry.create({
      config: config as never,
      database,
      bus,
      logger: logger.child({ service: entry.name }),
      clock,
      keys,
    })
    keys ??= service.jwks
    services.push(service)
    lines.push(
      `${entry.name.padEnd(11)} ${'prefix' in entry ? [entry.prefix, ...(('morePrefixes' in entry && entry.morePrefixes) || []), ...(('moreRoutes' in entry && entry.moreRoutes) || [])].join(' ') : '(worker)'}  ${service.summary}`,
    )
    if ('moreRoutes' in entry && entry.moreRoutes) {
      for (const route of entry.moreRoutes) {
        routes.push({ pattern: new RegExp(route), fetch: service.app.fetch })
      }
    }
    if ('prefix' in entry && entry.prefix) {
      const handler = (c: { req: { raw: Request }; env: unknown }) =>
        service.app.fetch(c.req.raw, c.env)
      for (const prefix of [
        entry.prefix,
        ...(('morePrefixes' in entry && entry.morePrefixes) || []),
      ]) {
        root.all(prefix, handler)
        root.all(`${prefix}/*`, handler)
      }
    }
  }
  root.get('/health', (c) => c.json({ status: 'ok' }))
  root.get('/ready', async (c) => {
    await database.ping()
    return c.json({ status: 'ready' })
  })
  // The whole API's OpenAPI document and its interactive documentation, merged from the services.
  root.route('/api', embeddedDocsRoutes(services))
  lines.push(`${'docs'.padEnd(11)} /api/docs  OpenAPI at /api/openapi.json, Swagger UI`)
  root.notFound(notFoundHandler)
  root.onError(errorHandler(logger))

  // The storefront at `/`, after every API prefix: it calls the API through this same app, as
  // the browser's user, and answers every other path. Unknown /api/ paths stay JSON 404s.
  root.all('/api/*', notFoundHandler)
  const storefront = await createStorefrontService(
    {
      config: readConfig(StorefrontConfigSchema, env),
      database,
      bus,
      logger: logger.child({ service: 'storefront' }),
      clock,
    },
    { api: async (request) => root.fetch(request, inProcessHop) },
  )
  services.push(storefront)
  lines.push(`${'storefront'.padEnd(11)} /  ${storefront.summary}`)
  root.all('*', (c) => storefront.app.fetch(c.req.raw, c.env))

  const where = url
    ? 'PostgreSQL (DATABASE_URL)'
    : options.dataDir
      ? `PGlite in ${options.dataDir}`
      : 'PGlite in memory'
  lines.push(`${'database'.padEnd(11)} ${where}, one schema per service`)
  lines.push(
    `${'bus'.padEnd(11)} in-process (consumer groups, per-key order, retries, dead letters)`,
  )

  for (const service of services) await service.start()

  return {
    fetch: (request, env) => root.fetch(request, env),
    services,
    database,
    lines,
    async stop() {
      for (const service of [...services].reverse()) await service.stop()
      await bus.close()
      await database.close()
    },
  }
}
