import { type AppEnv, RequestValidationError, requireAuth, userOf, validate } from '@twtix/common'
import { Hono } from 'hono'
import { createTicket } from '../commands/create-ticket.ts'
import { updateTicket } from '../commands/update-ticket.ts'
import type { Deps } from '../deps.ts'
import { decodeCursor } from '../queries/cursor.ts'
import { getTicket } from '../queries/get-ticket.ts'
import { listTickets } from '../queries/list-tickets.ts'
import {
  CreateTicketBody,
  DEFAULT_LIMIT,
  ListQuery,
  TicketParams,
  UpdateTicketBody,
} from './schemas.ts'

export function ticketsRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()

  routes.post('/', requireAuth, validate('json', CreateTicketBody), async (c) => {
    const body = c.req.valid('json')
    const ticket = await createTicket(
      deps,
      { userId: userOf(c).id, title: body.title, price: body.price },
      { correlationId: c.get('requestId') },
    )
    return c.json(ticket, 201)
  })

  routes.get('/', validate('query', ListQuery), async (c) => {
    const query = c.req.valid('query')
    const limit = query.limit ?? DEFAULT_LIMIT
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
    if (query.cursor !== undefined && !cursor) {
      throw new RequestValidationError([{ message: 'Cursor is invalid', field: 'cursor' }])
    }
    const page = await listTickets(deps, { limit, cursor })
    if (page.next) {
      const next = new URLSearchParams({ limit: String(limit), cursor: page.next })
      c.header('Link', `<${c.req.path}?${next}>; rel="next"`)
    }
    return c.json(page.tickets)
  })

  routes.get('/:id', validate('param', TicketParams), async (c) => {
    return c.json(await getTicket(deps, c.req.valid('param').id))
  })

  routes.put(
    '/:id',
    requireAuth,
    validate('param', TicketParams),
    validate('json', UpdateTicketBody),
    async (c) => {
      const body = c.req.valid('json')
      const ticket = await updateTicket(
        deps,
        { id: c.req.valid('param').id, userId: userOf(c).id, ...body },
        { correlationId: c.get('requestId') },
      )
      return c.json(ticket)
    },
  )

  return routes
}
