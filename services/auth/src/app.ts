import { createServiceApp } from '@twtix/common'
import type { Deps } from './deps.ts'
import { committedApiDocsRoutes } from './routes/api-docs.ts'
import { usersRoutes } from './routes/users.ts'

export function createApp(deps: Deps) {
  const app = createServiceApp(deps)
  app.route('/api/users', usersRoutes(deps))
  // The whole API's document and Swagger UI, for the ingress (built by npm run docs:build).
  app.route('/api', committedApiDocsRoutes())
  return app
}
