import { Hono } from 'hono'
import type { Ticket } from '../api.ts'
import type { StorefrontContext, StorefrontEnv } from '../env.ts'
import { notFound, PageError } from '../errors.ts'
import { type FormErrors, formErrors, noErrors, priceInput, readForm } from '../form.ts'
import { render } from '../pages/render.tsx'
import { TicketFormPage } from '../pages/ticket-form-page.tsx'
import { loadTicket } from './catalogue.tsx'
import { idParam, toSignIn, unexpected } from './shared.ts'

const FIELDS = ['title', 'price'] as const

type Values = { title: string; price: string }

function showForm(
  c: StorefrontContext,
  props: { ticketId?: string; values: Values; errors: FormErrors; locked?: string },
  status: 200 | 400 | 429 = 200,
) {
  const title = props.ticketId ? 'Edit your ticket' : 'Sell a ticket'
  return render(c, title, <TicketFormPage {...props} />, { status })
}

const notYours = () =>
  new PageError(403, 'Not your ticket', 'You can only edit tickets you listed.')

const lockedBecause: Record<Ticket['status'], string | undefined> = {
  available: undefined,
  reserved: 'A buyer is holding this ticket; it cannot be edited until the hold ends.',
  sold: 'This ticket is sold; it can no longer be edited.',
}

async function valuesOf(c: StorefrontContext): Promise<Values> {
  const fields = await readForm(c)
  return { title: fields.title ?? '', price: fields.price ?? '' }
}

const bodyOf = (values: Values) => ({ title: values.title, price: priceInput(values.price) })

export function sellingRoutes() {
  const routes = new Hono<StorefrontEnv>()

  routes.get('/sell', (c) => {
    if (!c.get('user')) return toSignIn(c)
    return showForm(c, { values: { title: '', price: '' }, errors: noErrors })
  })

  routes.post('/sell', async (c) => {
    if (!c.get('user')) return toSignIn(c)
    const values = await valuesOf(c)
    const reply = await c.var.api.post<Ticket>('/api/tickets', bodyOf(values))
    if (reply.status === 201) return c.redirect(`/tickets/${reply.body.id}?notice=listed`, 303)
    if (reply.status === 401) return toSignIn(c)
    if (reply.status !== 400 && reply.status !== 429) throw unexpected(reply)
    return showForm(c, { values, errors: formErrors(reply.errors, FIELDS) }, reply.status)
  })

  routes.get('/tickets/:id/edit', async (c) => {
    const user = c.get('user')
    if (!user) return toSignIn(c)
    const ticket = await loadTicket(c)
    if (ticket.userId !== user.id) throw notYours()
    const values = { title: ticket.title, price: String(ticket.price) }
    const locked = lockedBecause[ticket.status]
    return showForm(c, { ticketId: ticket.id, values, errors: noErrors, locked })
  })

  routes.post('/tickets/:id/edit', async (c) => {
    if (!c.get('user')) return toSignIn(c, `/tickets/${idParam(c)}/edit`)
    const values = await valuesOf(c)
    const reply = await c.var.api.put<Ticket>(`/api/tickets/${idParam(c)}`, bodyOf(values))
    if (reply.status === 200) return c.redirect(`/tickets/${reply.body.id}?notice=updated`, 303)
    if (reply.status === 401) return toSignIn(c, `/tickets/${idParam(c)}/edit`)
    if (reply.status === 403) throw notYours()
    if (reply.status === 404 || reply.errors.some((e) => e.field === 'id')) throw notFound('ticket')
    if (reply.status !== 400 && reply.status !== 429) throw unexpected(reply)
    const errors = formErrors(reply.errors, FIELDS)
    return showForm(c, { ticketId: c.req.param('id'), values, errors }, reply.status)
  })

  return routes
}
