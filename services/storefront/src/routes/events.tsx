import { Hono } from 'hono'
import type { Event, Ticket } from '../api.ts'
import type { Deps } from '../deps.ts'
import type { StorefrontContext, StorefrontEnv } from '../env.ts'
import { notFound, PageError } from '../errors.ts'
import { formErrors, noErrors, readForm } from '../form.ts'
import { EventFormPage, type EventFormValues } from '../pages/event-form-page.tsx'
import { EventPage } from '../pages/event-page.tsx'
import { type EventSearch, EventsPage } from '../pages/events-page.tsx'
import { render } from '../pages/render.tsx'
import { nextCursor, PAGE_SIZE } from './catalogue.tsx'
import { idParam, noticeOf, toSignIn, unexpected } from './shared.ts'

const EVENT_FIELDS = ['name', 'venue', 'city', 'startsAt', 'endsAt'] as const

/**
 * A `datetime-local` value ("2027-08-01T18:00") as the API's instant: the time is Japan's. Any
 * other text goes as typed, so the API's message explains it.
 */
export function japanTime(text: string | undefined): string | undefined {
  const value = text?.trim()
  if (!value) return undefined
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return `${value}:00+09:00`
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value)) return `${value}+09:00`
  return value
}

async function loadEvent(c: StorefrontContext): Promise<Event> {
  const reply = await c.var.api.get<Event>(`/api/events/${idParam(c)}`)
  if (reply.status === 404 || reply.status === 400) throw notFound('event')
  if (reply.status !== 200) throw unexpected(reply)
  return reply.body
}

function showEventForm(
  c: StorefrontContext,
  values: EventFormValues,
  errors = noErrors,
  status: 200 | 400 | 429 = 200,
) {
  return render(c, 'Add an event', <EventFormPage values={values} errors={errors} />, { status })
}

export function eventsRoutes(deps: Pick<Deps, 'clock'>) {
  const routes = new Hono<StorefrontEnv>()

  routes.get('/events', async (c) => {
    const search: EventSearch = {
      q: c.req.query('q') ?? '',
      city: c.req.query('city') ?? '',
      from: c.req.query('from') ?? '',
      to: c.req.query('to') ?? '',
    }
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) })
    for (const [key, value] of Object.entries(search)) if (value.trim()) query.set(key, value)
    const cursor = c.req.query('cursor')
    if (cursor) query.set('cursor', cursor)
    const reply = await c.var.api.get<Event[]>(`/api/events?${query}`)
    if (reply.status === 400) {
      const page = (
        <EventsPage events={[]} search={search} errors={reply.errors.map((e) => e.message)} />
      )
      return render(c, 'Events', page, { status: 400 })
    }
    if (reply.status !== 200) throw unexpected(reply)
    const nextPage = nextCursor(reply.headers.get('Link'))
    let next: string | undefined
    if (nextPage) {
      query.set('cursor', nextPage)
      query.delete('limit')
      next = `/events?${query}`
    }
    return render(c, 'Events', <EventsPage events={reply.body} search={search} next={next} />)
  })

  routes.get('/events/new', (c) => {
    if (!c.get('user')) return toSignIn(c)
    return showEventForm(c, { name: '', venue: '', city: '', startsAt: '', endsAt: '' })
  })

  routes.post('/events', async (c) => {
    if (!c.get('user')) return toSignIn(c, '/events/new')
    const fields = await readForm(c)
    const values: EventFormValues = {
      name: fields.name ?? '',
      venue: fields.venue ?? '',
      city: fields.city ?? '',
      startsAt: fields.startsAt ?? '',
      endsAt: fields.endsAt ?? '',
    }
    const reply = await c.var.api.post<Event>('/api/events', {
      name: values.name,
      venue: values.venue,
      city: values.city,
      startsAt: japanTime(values.startsAt),
      endsAt: japanTime(values.endsAt),
    })
    // New or already there: either way, on to selling a ticket of it.
    if (reply.status === 201 || reply.status === 200) {
      return c.redirect(`/sell?eventId=${reply.body.id}&notice=event`, 303)
    }
    if (reply.status === 401) return toSignIn(c, '/events/new')
    if (reply.status !== 400 && reply.status !== 429) throw unexpected(reply)
    return showEventForm(c, values, formErrors(reply.errors, EVENT_FIELDS), reply.status)
  })

  async function showEvent(
    c: StorefrontContext,
    options: { errors?: string[]; status?: 400 | 409 } = {},
  ) {
    const event = await loadEvent(c)
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) })
    const cursor = c.req.query('cursor')
    if (cursor) query.set('cursor', cursor)
    const reply = await c.var.api.get<Ticket[]>(`/api/events/${event.id}/tickets?${query}`)
    // A stale or mangled cursor: start again from the cheapest.
    if (reply.status === 400 && cursor) return c.redirect(`/events/${event.id}`, 303)
    if (reply.status !== 200) throw unexpected(reply)
    const after = nextCursor(reply.headers.get('Link'))
    const next = after ? `/events/${event.id}?cursor=${encodeURIComponent(after)}` : undefined
    const salesEnded =
      !['scheduled', 'postponed'].includes(event.status) || new Date(event.startsAt) <= deps.clock()
    const page = (
      <EventPage
        event={event}
        tickets={reply.body}
        salesEnded={salesEnded}
        next={next}
        admin={c.get('user')?.role === 'admin'}
        notice={noticeOf(c)}
        errors={options.errors}
      />
    )
    return render(c, event.name, page, { status: options.status })
  }

  routes.get('/events/:id', (c) => showEvent(c))

  /** An admin's change of the event, and the page again with the API's answer. */
  async function changeEvent(c: StorefrontContext, verb: 'cancel' | 'postpone', body: object) {
    const back = `/events/${idParam(c)}`
    if (!c.get('user')) return toSignIn(c, back)
    const reply = await c.var.api.post(`/api/events/${idParam(c)}/${verb}`, body)
    if (reply.status === 200) return c.redirect(`${back}?notice=event-${verb}`, 303)
    if (reply.status === 401) return toSignIn(c, back)
    if (reply.status === 403) throw new PageError(403, 'Admins only', 'Only an admin may do this.')
    if (reply.status === 404) throw notFound('event')
    if (reply.status !== 400 && reply.status !== 409) throw unexpected(reply)
    return showEvent(c, { errors: reply.errors.map((e) => e.message), status: reply.status })
  }

  routes.post('/events/:id/cancel', (c) => changeEvent(c, 'cancel', {}))

  routes.post('/events/:id/postpone', async (c) => {
    const fields = await readForm(c)
    const endsAt = japanTime(fields.endsAt)
    return changeEvent(c, 'postpone', {
      startsAt: japanTime(fields.startsAt) ?? '',
      ...(endsAt === undefined ? {} : { endsAt }),
    })
  })

  return routes
}
