import { createServiceApp } from '@twtix/common'
import type { Deps } from './deps.ts'
import { eventsRoutes } from './routes/events.ts'
import { ticketsRoutes } from './routes/tickets.ts'

export function createApp(deps: Deps) {
  const app = createServiceApp(deps)
  const events = eventsRoutes(deps)
  app.route('/api/tickets', ticketsRoutes(deps, events))
  app.route('/api/events', events)
  return app
}
