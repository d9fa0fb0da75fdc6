import { createServiceApp } from '@twtix/common'
import type { Deps } from './deps.ts'
import { claimsRoutes } from './routes/claims.ts'
import { ordersRoutes } from './routes/orders.ts'

export function createApp(deps: Deps) {
  const app = createServiceApp(deps)
  const claims = claimsRoutes(deps)
  app.route('/api/orders', ordersRoutes(deps, claims))
  app.route('/api/claims', claims)
  return app
}
