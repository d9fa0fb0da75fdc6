import { createServiceApp, type Logger, type TokenVerifier } from '@twtix/common'
import type { Deps } from './deps.ts'
import { committedApiDocsRoutes } from './routes/api-docs.ts'
import { usersRoutes } from './routes/users.ts'

export type AppOptions = { verifier: TokenVerifier; logger: Logger; ready?: () => Promise<void> }

export function createApp(deps: Deps, options: AppOptions) {
  const app = createServiceApp(options)
  app.route('/api/users', usersRoutes(deps))
  // The whole API's document and Swagger UI, for the ingress (built by npm run docs:build).
  app.route('/api', committedApiDocsRoutes())
  return app
}
