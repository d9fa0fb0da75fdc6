import {
  type AppEnv,
  inTransaction,
  RequestValidationError,
  requireAuth,
  userOf,
} from '@twtix/common'
import { serveRoutesDocument, validate } from '@twtix/common/openapi'
import { Hono } from 'hono'
import { createTicket } from '../commands/create-ticket.ts'
import { updateTicket } from '../commands/update-ticket.ts'
import type { Deps } from '../deps.ts'
import { decodeCursor } from '../queries/cursor.ts'
import { getTicket } from '../queries/get-ticket.ts'
import { listTickets } from '../queries/list-tickets.ts'
import { renderPage } from '../queries/listing-cache.ts'
import { deliveryRoutes } from './delivery.ts'
import {
  createTicketDoc,
  getTicketDoc,
  listTicketsDoc,
  ticketsInfo,
  updateTicketDoc,
} from './docs.ts'
import { examples } from './responses.ts'
import {
  CreateTicketBody,
  DEFAULT_LIMIT,
  ListQuery,
  TicketParams,
  UpdateTicketBody,
} from './schemas.ts'

/**
 * `events` and `orderTicket`: the routes this service serves under `/api/events` and
 * `/api/orders/:id/ticket`, documented in its document beside the tickets.
 */
export function ticketsRoutes(
  deps: Deps,
  siblings: { events: Hono<AppEnv>; orderTicket: Hono<AppEnv> },
) {
  const routes = new Hono<AppEnv>()
  const id = { example: { id: examples.ticket.id } }

  // Before `/:id`, which would take `openapi.json` for a malformed ticket id.
  routes.get(
    '/openapi.json',
    serveRoutesDocument(
      () => [routes],
      ticketsInfo,
      () => ({ '/api/events': [siblings.events], '/api/orders': [siblings.orderTicket] }),
    ),
  )

  routes.post(
    '/',
    createTicketDoc,
    requireAuth,
    validate('json', CreateTicketBody, { example: { title: 'Tokyo Dome, row 3', price: 8000 } }),
    async (c) => {
      const body = c.req.valid('json')
      const ticket = await inTransaction(deps, (tx) =>
        createTicket(
          deps,
          tx,
          { userId: userOf(c).id, ...body },
          { correlationId: c.get('requestId') },
        ),
      )
      // Read your writes: this replica's listing shows it now, not when the notification lands.
      deps.listing?.invalidate()
      return c.json(ticket, 201)
    },
  )

  routes.get(
    '/',
    listTicketsDoc,
    validate('query', ListQuery, { example: { limit: '20', cursor: examples.cursor } }),
    async (c) => {
      const query = c.req.valid('query')
      const limit = query.limit ?? DEFAULT_LIMIT
      const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
      if (query.cursor !== undefined && !cursor) {
        throw new RequestValidationError([{ message: 'Cursor is invalid', field: 'cursor' }])
      }
      const load = () => listTickets(deps, { limit, cursor })
      const page = deps.listing
        ? await deps.listing.page(`${limit} ${query.cursor ?? ''}`, load)
        : renderPage(await load())
      if (page.next) {
        const next = new URLSearchParams({ limit: String(limit), cursor: page.next })
        c.header('Link', `<${c.req.path}?${next}>; rel="next"`)
      }
      return c.body(page.body, 200, { 'Content-Type': 'application/json' })
    },
  )

  routes.get('/:id', getTicketDoc, validate('param', TicketParams, id), async (c) => {
    return c.json(await getTicket(deps, c.req.valid('param').id))
  })

  routes.put(
    '/:id',
    updateTicketDoc,
    requireAuth,
    validate('param', TicketParams, id),
    validate('json', UpdateTicketBody, {
      example: { price: 9000 },
      description: 'A new title, a new price, or both; at least one.',
    }),
    async (c) => {
      const body = c.req.valid('json')
      const ticket = await inTransaction(deps, (tx) =>
        updateTicket(
          deps,
          tx,
          { id: c.req.valid('param').id, userId: userOf(c).id, ...body },
          { correlationId: c.get('requestId') },
        ),
      )
      deps.listing?.invalidate()
      return c.json(ticket)
    },
  )

  routes.route('/', deliveryRoutes(deps))

  return routes
}
