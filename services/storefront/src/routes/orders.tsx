import { Hono } from 'hono'
import type { Order } from '../api.ts'
import type { Deps } from '../deps.ts'
import type { StorefrontContext, StorefrontEnv } from '../env.ts'
import { notFound, PageError } from '../errors.ts'
import { formErrors, idempotencyKeyOf, readForm } from '../form.ts'
import { type OrderDelivery, OrderPage } from '../pages/order-page.tsx'
import { OrdersPage } from '../pages/orders-page.tsx'
import { render } from '../pages/render.tsx'
import { idParam, noticeOf, toSignIn, unexpected } from './shared.ts'

type Payment = { id: string; orderId: string; status: string }

const notYours = () => new PageError(403, 'Not your order', 'This order belongs to someone else.')

async function loadOrder(c: StorefrontContext): Promise<Order> {
  const reply = await c.var.api.get<Order>(`/api/orders/${idParam(c)}`)
  if (reply.status === 403) throw notYours()
  if (reply.status === 404 || reply.status === 400) throw notFound('order')
  if (reply.status !== 200) throw unexpected(reply)
  return reply.body
}

/** What the buyer of a paid order can get in with: the code or link, or a file to download. */
async function deliveryOf(c: StorefrontContext, order: Order): Promise<OrderDelivery | undefined> {
  if (order.status !== 'complete' || order.refundedAt) return undefined
  const res = await c.var.api.fetch(`/api/orders/${encodeURIComponent(order.id)}/ticket`)
  const type = res.headers.get('Content-Type') ?? ''
  if (res.status === 200 && type.startsWith('application/json')) {
    return (await res.json()) as OrderDelivery
  }
  await res.body?.cancel()
  if (res.status === 200) return { kind: 'file' }
  // 409: not added yet; 404: tickets has not heard of the payment yet. Both: pending for now.
  return { kind: 'pending' }
}

export function ordersRoutes(deps: Deps) {
  const routes = new Hono<StorefrontEnv>()

  async function showOrder(
    c: StorefrontContext,
    options: {
      errors?: string[]
      tokenError?: string
      token?: string
      claimForm?: { reason?: string; details?: string }
      status?: 400 | 402 | 409 | 429
    } = {},
  ) {
    const order = await loadOrder(c)
    const delivery = await deliveryOf(c, order)
    // Paid, and the order service has not yet heard: reload until it has.
    const confirming = c.req.query('notice') === 'paid' && order.status === 'created'
    const page = (
      <OrderPage
        order={order}
        now={deps.clock()}
        confirming={confirming}
        stripeKey={deps.config.STRIPE_PUBLISHABLE_KEY}
        nonce={c.get('secureHeadersNonce')}
        notice={noticeOf(c)}
        errors={options.errors}
        tokenError={options.tokenError}
        token={options.token}
        delivery={delivery}
        claimForm={options.claimForm}
      />
    )
    const refreshSeconds = confirming ? 2 : undefined
    return render(c, `Order: ${order.ticket.title}`, page, {
      status: options.status,
      refreshSeconds,
    })
  }

  routes.get('/orders', async (c) => {
    if (!c.get('user')) return toSignIn(c)
    const reply = await c.var.api.get<Order[]>('/api/orders')
    if (reply.status === 401) return toSignIn(c)
    if (reply.status !== 200) throw unexpected(reply)
    return render(c, 'My orders', <OrdersPage orders={reply.body} now={deps.clock()} />)
  })

  routes.get('/orders/:id', (c) => {
    if (!c.get('user')) return toSignIn(c)
    return showOrder(c)
  })

  routes.post('/orders/:id/pay', async (c) => {
    const back = `/orders/${idParam(c)}`
    if (!c.get('user')) return toSignIn(c, back)
    const fields = await readForm(c)
    const reply = await c.var.api.post<Payment>(
      '/api/payments',
      { orderId: c.req.param('id'), token: fields.token ?? '' },
      idempotencyKeyOf(fields),
    )
    if (reply.status === 201) return c.redirect(`${back}?notice=paid`, 303)
    if (reply.status === 401) return toSignIn(c, back)
    if (reply.status === 403) throw notYours()
    if (reply.errors.some((e) => e.field === 'orderId')) throw notFound('order')
    if (reply.status === 404) {
      // The order exists (showOrder checks) but payments has not heard of it yet.
      const errors = ['Your order is still being set up. Try again in a few seconds.']
      return showOrder(c, { errors, status: 409 })
    }
    if (reply.status === 402 || reply.status === 400 || reply.status === 429) {
      const { fields: byField, general } = formErrors(reply.errors, ['token'])
      // A declined card is about the card: say it beside the card choice.
      const tokenError = byField.token ?? (reply.status === 402 ? general.shift() : undefined)
      const token = fields.token
      return showOrder(c, { errors: general, tokenError, token, status: reply.status })
    }
    if (reply.status === 409 || reply.status === 422) {
      // The same form sent again (back button, a changed card): its Idempotency-Key is taken.
      const errors = ['This form was already sent. Check the order below and try again.']
      return showOrder(c, { errors, status: 409 })
    }
    throw unexpected(reply)
  })

  routes.post('/orders/:id/cancel', async (c) => {
    const back = `/orders/${idParam(c)}`
    if (!c.get('user')) return toSignIn(c, back)
    const reply = await c.var.api.delete(`/api/orders/${idParam(c)}`)
    if (reply.status === 204) return c.redirect(`${back}?notice=cancelled`, 303)
    if (reply.status === 401) return toSignIn(c, back)
    if (reply.status === 403) throw notYours()
    if (reply.status === 404) throw notFound('order')
    if (reply.status !== 400) throw unexpected(reply)
    return showOrder(c, { errors: reply.errors.map((e) => e.message), status: 400 })
  })

  routes.post('/orders/:id/claim', async (c) => {
    const back = `/orders/${idParam(c)}`
    if (!c.get('user')) return toSignIn(c, back)
    const fields = await readForm(c)
    const details = fields.details?.trim() ? fields.details : undefined
    const reply = await c.var.api.post(`/api/orders/${idParam(c)}/claims`, {
      reason: fields.reason ?? '',
      ...(details === undefined ? {} : { details }),
    })
    if (reply.status === 201) return c.redirect(`${back}?notice=claimed`, 303)
    if (reply.status === 401) return toSignIn(c, back)
    if (reply.status === 404) throw notFound('order')
    if (reply.status !== 400 && reply.status !== 409) throw unexpected(reply)
    const errors = reply.errors.map((e) => e.message)
    return showOrder(c, { errors, claimForm: fields, status: reply.status })
  })

  return routes
}
