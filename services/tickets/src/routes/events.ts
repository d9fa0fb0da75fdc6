import {
  type AppEnv,
  inTransaction,
  NotFoundError,
  RequestValidationError,
  requireAdmin,
  requireAuth,
  userOf,
} from '@twtix/common'
import { validate } from '@twtix/common/openapi'
import { Hono } from 'hono'
import { cancelEvent } from '../commands/cancel-event.ts'
import { createEvent } from '../commands/create-event.ts'
import { postponeEvent } from '../commands/postpone-event.ts'
import type { Deps } from '../deps.ts'
import { decodeCursor } from '../queries/cursor.ts'
import { getEvent } from '../queries/get-event.ts'
import { listEventTickets } from '../queries/list-event-tickets.ts'
import { decodePriceCursor } from '../queries/price-cursor.ts'
import { searchEvents } from '../queries/search-events.ts'
import {
  cancelEventDoc,
  createEventDoc,
  eventTicketsDoc,
  getEventDoc,
  postponeEventDoc,
  searchEventsDoc,
} from './event-docs.ts'
import { eventExamples } from './event-responses.ts'
import {
  CreateEventBody,
  EventParams,
  EventTicketsQuery,
  PostponeEventBody,
  SearchEventsQuery,
} from './event-schemas.ts'
import { DEFAULT_LIMIT } from './schemas.ts'

const DAY_MS = 24 * 60 * 60 * 1000

function badCursor(): never {
  throw new RequestValidationError([{ message: 'Cursor is invalid', field: 'cursor' }])
}

function linkNext(path: string, params: Record<string, string | undefined>) {
  const next = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined) next.set(key, value)
  return `<${path}?${next}>; rel="next"`
}

/** `/api/events`: served by the tickets service, which owns events beside their listings. */
export function eventsRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()
  const id = { example: { id: eventExamples.event.id } }

  routes.post(
    '/',
    createEventDoc,
    requireAuth,
    validate('json', CreateEventBody, { example: eventExamples.create }),
    async (c) => {
      const body = c.req.valid('json')
      const { event, created } = await inTransaction(deps, (tx) =>
        createEvent(deps, tx, { userId: userOf(c).id, ...body }),
      )
      return c.json(event, created ? 201 : 200)
    },
  )

  routes.get(
    '/',
    searchEventsDoc,
    validate('query', SearchEventsQuery, { example: eventExamples.search }),
    async (c) => {
      const query = c.req.valid('query')
      const limit = query.limit ?? DEFAULT_LIMIT
      const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
      if (query.cursor !== undefined && !cursor) badCursor()
      const to = query.to && new Date(query.to.at.getTime() + (query.to.dateOnly ? DAY_MS : 0))
      const page = await searchEvents(deps, {
        q: query.q,
        city: query.city,
        from: query.from?.at,
        to,
        limit,
        cursor,
      })
      if (page.next) {
        const { q, city, from, to: until } = c.req.query()
        const params = { q, city, from, to: until, limit: String(limit), cursor: page.next }
        c.header('Link', linkNext(c.req.path, params))
      }
      return c.json(page.events)
    },
  )

  routes.get('/:id', getEventDoc, validate('param', EventParams, id), async (c) => {
    return c.json(await getEvent(deps, c.req.valid('param').id))
  })

  routes.get(
    '/:id/tickets',
    eventTicketsDoc,
    validate('param', EventParams, id),
    validate('query', EventTicketsQuery, { example: { limit: '20' } }),
    async (c) => {
      const query = c.req.valid('query')
      const limit = query.limit ?? DEFAULT_LIMIT
      const cursor = query.cursor === undefined ? undefined : decodePriceCursor(query.cursor)
      if (query.cursor !== undefined && !cursor) badCursor()
      const page = await listEventTickets(deps, {
        eventId: c.req.valid('param').id,
        limit,
        cursor,
      })
      if (!page) throw new NotFoundError('Event not found')
      if (page.next) {
        c.header('Link', linkNext(c.req.path, { limit: String(limit), cursor: page.next }))
      }
      return c.json(page.tickets)
    },
  )

  routes.post(
    '/:id/cancel',
    cancelEventDoc,
    requireAdmin,
    validate('param', EventParams, id),
    async (c) => {
      const input = { eventId: c.req.valid('param').id, adminId: userOf(c).id }
      const meta = { correlationId: c.get('requestId') }
      return c.json(await inTransaction(deps, (tx) => cancelEvent(deps, tx, input, meta)), 200)
    },
  )

  routes.post(
    '/:id/postpone',
    postponeEventDoc,
    requireAdmin,
    validate('param', EventParams, id),
    validate('json', PostponeEventBody, { example: eventExamples.postpone }),
    async (c) => {
      const input = {
        ...c.req.valid('json'),
        eventId: c.req.valid('param').id,
        adminId: userOf(c).id,
      }
      const meta = { correlationId: c.get('requestId') }
      return c.json(await inTransaction(deps, (tx) => postponeEvent(deps, tx, input, meta)), 200)
    },
  )

  return routes
}
