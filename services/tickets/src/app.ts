import { createServiceApp } from '@twtix/common'
import type { Deps } from './deps.ts'
import { ticketsRoutes } from './routes/tickets.ts'

export function createApp(deps: Deps) {
  const app = createServiceApp(deps)
  app.route('/api/tickets', ticketsRoutes(deps))
  return app
}
