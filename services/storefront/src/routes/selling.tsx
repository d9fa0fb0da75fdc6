import { Hono } from 'hono'
import type { Event, Ticket } from '../api.ts'
import type { Deps } from '../deps.ts'
import type { StorefrontContext, StorefrontEnv } from '../env.ts'
import { notFound, PageError } from '../errors.ts'
import { type FormErrors, formErrors, noErrors, priceInput, readForm } from '../form.ts'
import { render } from '../pages/render.tsx'
import { TicketFormPage, type TicketFormValues } from '../pages/ticket-form-page.tsx'
import { loadTicket } from './catalogue.tsx'
import { idParam, noticeOf, toSignIn, unexpected } from './shared.ts'

const FIELDS = ['eventId', 'title', 'price', 'faceValue', 'section', 'row', 'seat'] as const

const blank: TicketFormValues = {
  eventId: '',
  title: '',
  price: '',
  faceValue: '',
  section: '',
  row: '',
  seat: '',
}

const notYours = () =>
  new PageError(403, 'Not your ticket', 'You can only edit tickets you listed.')

const lockedBecause: Record<Ticket['status'], string | undefined> = {
  available: undefined,
  reserved: 'A buyer is holding this ticket; it cannot be edited until the hold ends.',
  sold: 'This ticket is sold; it can no longer be edited.',
}

async function valuesOf(c: StorefrontContext): Promise<TicketFormValues> {
  const fields = await readForm(c)
  const values = { ...blank }
  for (const name of FIELDS) values[name] = fields[name] ?? ''
  return values
}

/** Upcoming events for the picker, with the chosen one even when it is further away. */
async function eventChoices(c: StorefrontContext, chosen: string): Promise<Event[]> {
  const reply = await c.var.api.get<Event[]>('/api/events?limit=100')
  if (reply.status !== 200) throw unexpected(reply)
  const events = reply.body
  if (chosen && /^[\w-]{36}$/.test(chosen) && !events.some((e) => e.id === chosen)) {
    const one = await c.var.api.get<Event>(`/api/events/${encodeURIComponent(chosen)}`)
    if (one.status === 200) events.unshift(one.body)
  }
  return events
}

/** The API's body: blank optional fields left out, so an old-style listing stays `{title, price}`. */
function newTicketBody(values: TicketFormValues) {
  const body: Record<string, unknown> = { price: priceInput(values.price) }
  if (values.eventId) body.eventId = values.eventId
  if (values.title.trim() || !values.eventId) body.title = values.title
  if (values.faceValue.trim()) body.faceValue = priceInput(values.faceValue)
  for (const name of ['section', 'row', 'seat'] as const) {
    if (values[name].trim()) body[name] = values[name]
  }
  return body
}

export function sellingRoutes(deps: Pick<Deps, 'config'>) {
  const routes = new Hono<StorefrontEnv>()
  const cap = deps.config.RESALE_PRICE_CAP

  async function showNewForm(
    c: StorefrontContext,
    values: TicketFormValues,
    errors: FormErrors,
    status: 200 | 400 | 429 = 200,
  ) {
    const events = await eventChoices(c, values.eventId)
    const page = (
      <TicketFormPage
        values={values}
        errors={errors}
        events={events}
        cap={cap}
        notice={noticeOf(c)}
      />
    )
    return render(c, 'Sell a ticket', page, { status })
  }

  function showEditForm(
    c: StorefrontContext,
    props: { ticketId: string; values: TicketFormValues; errors: FormErrors; locked?: string },
    faceValue: number | null,
    status: 200 | 400 | 429 = 200,
  ) {
    const page = <TicketFormPage {...props} cap={cap} faceValue={faceValue} />
    return render(c, 'Edit your ticket', page, { status })
  }

  routes.get('/sell', (c) => {
    if (!c.get('user')) return toSignIn(c)
    return showNewForm(c, { ...blank, eventId: c.req.query('eventId') ?? '' }, noErrors)
  })

  routes.post('/sell', async (c) => {
    if (!c.get('user')) return toSignIn(c)
    const values = await valuesOf(c)
    const reply = await c.var.api.post<Ticket>('/api/tickets', newTicketBody(values))
    if (reply.status === 201) return c.redirect(`/tickets/${reply.body.id}?notice=listed`, 303)
    if (reply.status === 401) return toSignIn(c)
    if (reply.status !== 400 && reply.status !== 429) throw unexpected(reply)
    return showNewForm(c, values, formErrors(reply.errors, FIELDS), reply.status)
  })

  routes.get('/tickets/:id/edit', async (c) => {
    const user = c.get('user')
    if (!user) return toSignIn(c)
    const ticket = await loadTicket(c)
    if (ticket.userId !== user.id) throw notYours()
    const values = { ...blank, title: ticket.title, price: String(ticket.price) }
    const locked = lockedBecause[ticket.status]
    return showEditForm(
      c,
      { ticketId: ticket.id, values, errors: noErrors, locked },
      ticket.faceValue,
    )
  })

  routes.post('/tickets/:id/edit', async (c) => {
    if (!c.get('user')) return toSignIn(c, `/tickets/${idParam(c)}/edit`)
    const values = await valuesOf(c)
    const reply = await c.var.api.put<Ticket>(`/api/tickets/${idParam(c)}`, {
      title: values.title,
      price: priceInput(values.price),
    })
    if (reply.status === 200) return c.redirect(`/tickets/${reply.body.id}?notice=updated`, 303)
    if (reply.status === 401) return toSignIn(c, `/tickets/${idParam(c)}/edit`)
    if (reply.status === 403) throw notYours()
    if (reply.status === 404 || reply.errors.some((e) => e.field === 'id')) throw notFound('ticket')
    if (reply.status !== 400 && reply.status !== 429) throw unexpected(reply)
    const errors = formErrors(reply.errors, FIELDS)
    // The face value for the hint: the ticket as it is now (still the seller's, or not found).
    const current = await c.var.api.get<Ticket>(`/api/tickets/${idParam(c)}`)
    const faceValue = current.status === 200 ? current.body.faceValue : null
    return showEditForm(c, { ticketId: c.req.param('id'), values, errors }, faceValue, reply.status)
  })

  return routes
}
