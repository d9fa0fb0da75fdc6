import { Hono } from 'hono'
import type { Order, Ticket } from '../api.ts'
import type { StorefrontContext, StorefrontEnv } from '../env.ts'
import { notFound } from '../errors.ts'
import { idempotencyKeyOf, readForm } from '../form.ts'
import { IndexPage } from '../pages/index-page.tsx'
import { render } from '../pages/render.tsx'
import { TicketPage } from '../pages/ticket-page.tsx'
import { idParam, noticeOf, toSignIn, unexpected } from './shared.ts'

export const PAGE_SIZE = 12

/** The next page's cursor from the API's `Link: </api/tickets?limit=12&cursor=...>; rel="next"`. */
export function nextCursor(link: string | null): string | undefined {
  const target = link?.match(/<([^>]+)>;\s*rel="next"/)?.[1]
  return target
    ? (new URL(target, 'http://api').searchParams.get('cursor') ?? undefined)
    : undefined
}

export async function loadTicket(c: StorefrontContext): Promise<Ticket> {
  const reply = await c.var.api.get<Ticket>(`/api/tickets/${idParam(c)}`)
  // 400 is a malformed id: to a person, as missing as an unknown one.
  if (reply.status === 404 || reply.status === 400) throw notFound('ticket')
  if (reply.status !== 200) throw unexpected(reply)
  return reply.body
}

/** The viewer's own order holding the ticket: the API shows an order to its owner only. */
async function myHoldingOrder(c: StorefrontContext, ticket: Ticket): Promise<string | undefined> {
  const user = c.get('user')
  if (!user || ticket.status !== 'reserved' || !ticket.orderId || ticket.userId === user.id) {
    return undefined
  }
  const reply = await c.var.api.get<Order>(`/api/orders/${encodeURIComponent(ticket.orderId)}`)
  return reply.status === 200 && reply.body.status === 'created' ? reply.body.id : undefined
}

async function showTicket(
  c: StorefrontContext,
  options: { errors?: string[]; status?: 200 | 400 | 409 | 429 } = {},
) {
  const ticket = await loadTicket(c)
  const page = (
    <TicketPage
      ticket={ticket}
      user={c.get('user')}
      myOrderId={await myHoldingOrder(c, ticket)}
      errors={options.errors}
      notice={noticeOf(c)}
    />
  )
  return render(c, ticket.title, page, { status: options.status })
}

export function catalogueRoutes() {
  const routes = new Hono<StorefrontEnv>()

  routes.get('/', async (c) => {
    const cursor = c.req.query('cursor')
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) })
    if (cursor) query.set('cursor', cursor)
    const reply = await c.var.api.get<Ticket[]>(`/api/tickets?${query}`)
    // A stale or mangled cursor: start again from the newest tickets.
    if (reply.status === 400 && cursor) return c.redirect('/', 303)
    if (reply.status !== 200) throw unexpected(reply)
    const next = nextCursor(reply.headers.get('Link'))
    const page = <IndexPage tickets={reply.body} nextCursor={next} firstPage={!cursor} />
    return render(c, 'Tickets for sale', page)
  })

  routes.get('/tickets/:id', (c) => showTicket(c))

  routes.post('/tickets/:id/buy', async (c) => {
    if (!c.get('user')) return toSignIn(c, `/tickets/${idParam(c)}`)
    const fields = await readForm(c)
    const reply = await c.var.api.post<Order>(
      '/api/orders',
      { ticketId: c.req.param('id') },
      idempotencyKeyOf(fields),
    )
    if (reply.status === 201) return c.redirect(`/orders/${reply.body.id}`, 303)
    if (reply.status === 401) return toSignIn(c, `/tickets/${idParam(c)}`)
    if (reply.status === 400 && reply.errors.some((e) => e.field === 'ticketId')) {
      throw notFound('ticket')
    }
    if (reply.status === 404) {
      // The ticket exists (showTicket checks) but the orders service has not heard of it yet.
      const errors = ['This ticket was listed moments ago. Try again in a few seconds.']
      return showTicket(c, { errors, status: 409 })
    }
    if (reply.status === 400 || reply.status === 429) {
      return showTicket(c, { errors: reply.errors.map((e) => e.message), status: reply.status })
    }
    if (reply.status === 409 || reply.status === 422) {
      // The same form sent again (back button): its Idempotency-Key is taken.
      const errors = ['This form was already sent. Check your orders and try again.']
      return showTicket(c, { errors, status: 409 })
    }
    throw unexpected(reply)
  })

  return routes
}
