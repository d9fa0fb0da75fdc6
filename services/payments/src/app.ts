import { createServiceApp } from '@twtix/common'
import type { Deps } from './deps.ts'
import { paymentsRoutes } from './routes/payments.ts'
import { payoutsRoutes } from './routes/payouts.ts'
import { webhookRoutes } from './routes/webhook.ts'

export function createApp(deps: Deps) {
  const app = createServiceApp(deps)
  app.route('/api/payments', webhookRoutes(deps))
  app.route('/api/payments', paymentsRoutes(deps))
  app.route('/api/payouts', payoutsRoutes(deps))
  return app
}
