import { createServiceApp, type Logger, type TokenVerifier } from '@twtix/common'
import type { Deps } from './deps.ts'
import { paymentsRoutes } from './routes/payments.ts'
import { webhookRoutes } from './routes/webhook.ts'

export type AppOptions = { verifier: TokenVerifier; logger: Logger; ready?: () => Promise<void> }

export function createApp(deps: Deps, options: AppOptions) {
  const app = createServiceApp(options)
  app.route('/api/payments', webhookRoutes(deps))
  app.route('/api/payments', paymentsRoutes(deps))
  return app
}
