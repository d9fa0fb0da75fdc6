import { createServiceApp } from '@twtix/common'
import type { Deps } from './deps.ts'
import { ordersRoutes } from './routes/orders.ts'

export function createApp(deps: Deps) {
  const app = createServiceApp(deps)
  app.route('/api/orders', ordersRoutes(deps))
  return app
}
