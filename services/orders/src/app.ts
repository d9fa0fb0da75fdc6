import { createServiceApp, type Logger, type TokenVerifier } from '@twtix/common'
import type { Deps } from './deps.ts'
import { ordersRoutes } from './routes/orders.ts'

export type AppOptions = { verifier: TokenVerifier; logger: Logger; ready?: () => Promise<void> }

export function createApp(deps: Deps, options: AppOptions) {
  const app = createServiceApp(options)
  app.route('/api/orders', ordersRoutes(deps))
  return app
}
