import { Hono } from 'hono'
import type { Delivery, Ticket } from '../api.ts'
import type { StorefrontContext, StorefrontEnv } from '../env.ts'
import { notFound, PageError } from '../errors.ts'
import { type FormErrors, formErrors, noErrors } from '../form.ts'
import { DeliveryFormPage } from '../pages/delivery-form-page.tsx'
import { render } from '../pages/render.tsx'
import { loadTicket } from './catalogue.tsx'
import { idParam, noticeOf, toSignIn, unexpected } from './shared.ts'

/** The delivery form's path: its multipart body may carry a 2 MB file (see app.tsx). */
export const DELIVERY_FORM_PATH = /^\/tickets\/[^/]+\/delivery$/

const FIELDS = ['code', 'url', 'file'] as const

const notYours = () =>
  new PageError(403, 'Not your ticket', 'Only its seller adds the delivery details.')

type Values = { code: string; url: string }

/** The form as the API's body: a file if one was chosen, else the code or the link. */
async function bodyOf(c: StorefrontContext) {
  const form = await c.req.parseBody()
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '')
  const values: Values = { code: text('code'), url: text('url') }
  const file = form.file
  if (file instanceof File && file.size > 0) {
    return { values, file: { bytes: new Uint8Array(await file.arrayBuffer()), type: file.type } }
  }
  const json: Record<string, string> = {}
  if (values.code.trim()) json.code = values.code
  if (values.url.trim()) json.url = values.url
  return { values, json }
}

export function deliveryRoutes() {
  const routes = new Hono<StorefrontEnv>()

  async function show(
    c: StorefrontContext,
    values: Values,
    errors: FormErrors,
    status: 200 | 400 | 413 | 415 | 429 = 200,
  ) {
    const ticket: Ticket = await loadTicket(c)
    if (ticket.userId !== c.get('user')?.id) throw notYours()
    const current = await c.var.api.get<Delivery>(`/api/tickets/${idParam(c)}/delivery`)
    if (current.status !== 200 && current.status !== 404) throw unexpected(current)
    const delivery = current.status === 200 ? current.body : undefined
    const page = (
      <DeliveryFormPage
        ticket={ticket}
        delivery={delivery}
        values={values}
        errors={errors}
        notice={noticeOf(c)}
      />
    )
    return render(c, 'Delivery details', page, { status })
  }

  routes.get('/tickets/:id/delivery', (c) => {
    if (!c.get('user')) return toSignIn(c)
    return show(c, { code: '', url: '' }, noErrors)
  })

  routes.post('/tickets/:id/delivery', async (c) => {
    const back = `/tickets/${idParam(c)}/delivery`
    if (!c.get('user')) return toSignIn(c, back)
    const { values, ...body } = await bodyOf(c)
    const path = `/api/tickets/${idParam(c)}/delivery`
    const reply = body.file
      ? await c.var.api.putBytes<Delivery>(path, body.file.bytes, body.file.type)
      : await c.var.api.put<Delivery>(path, body.json)
    if (reply.status === 200) return c.redirect(`${back}?notice=delivery`, 303)
    if (reply.status === 401) return toSignIn(c, back)
    if (reply.status === 403) throw notYours()
    if (reply.status === 404 || reply.errors.some((e) => e.field === 'id')) throw notFound('ticket')
    if (reply.status === 413 || reply.status === 415) {
      const errors = {
        fields: { file: reply.errors[0]?.message ?? 'Not a PDF or PNG' },
        general: [],
      }
      return show(c, values, errors, reply.status)
    }
    if (reply.status !== 400 && reply.status !== 429) throw unexpected(reply)
    return show(c, values, formErrors(reply.errors, FIELDS), reply.status)
  })

  // The buyer's file, downloaded through the storefront with the browser's session.
  routes.get('/orders/:id/ticket', async (c) => {
    const back = `/orders/${idParam(c)}`
    if (!c.get('user')) return toSignIn(c, back)
    const res = await c.var.api.fetch(`/api/orders/${idParam(c)}/ticket`)
    const type = res.headers.get('Content-Type') ?? ''
    if (res.status === 200 && !type.startsWith('application/json')) {
      return new Response(res.body, {
        headers: {
          'Content-Type': type,
          'Content-Disposition': res.headers.get('Content-Disposition') ?? 'attachment',
          'Cache-Control': 'private, no-store',
        },
      })
    }
    await res.body?.cancel()
    if (res.status === 401) return toSignIn(c, back)
    if (res.status === 200 || res.status === 409) return c.redirect(back, 303)
    throw notFound('order')
  })

  return routes
}
