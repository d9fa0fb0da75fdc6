import { createServiceApp } from '@twtix/common'
import type { Deps } from './deps.ts'
import { DELIVERY_PATH } from './routes/delivery.ts'
import { FILE_MAX_BYTES, FILE_TYPES } from './routes/delivery-schemas.ts'
import { eventsRoutes } from './routes/events.ts'
import { orderTicketRoutes } from './routes/order-ticket.ts'
import { ticketsRoutes } from './routes/tickets.ts'

export function createApp(deps: Deps) {
  const app = createServiceApp({
    ...deps,
    // A delivery file may be 2 MB; every other body, JSON there too, keeps the usual limit.
    bodyLimits: [
      {
        path: DELIVERY_PATH,
        types: Object.keys(FILE_TYPES),
        maxBytes: FILE_MAX_BYTES,
        message: 'The file must be at most 2 MB',
      },
    ],
  })
  const events = eventsRoutes(deps)
  const orderTicket = orderTicketRoutes(deps)
  app.route('/api/tickets', ticketsRoutes(deps, { events, orderTicket }))
  app.route('/api/events', events)
  app.route('/api/orders', orderTicket)
  return app
}
