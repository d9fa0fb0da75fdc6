import { Hono } from 'hono'
import type { StorefrontContext, StorefrontEnv } from '../env.ts'
import { PageError } from '../errors.ts'
import { readForm } from '../form.ts'
import { ClaimsPage, type OpenClaim } from '../pages/claims-page.tsx'
import { render } from '../pages/render.tsx'
import { idParam, noticeOf, toSignIn, unexpected } from './shared.ts'

const adminsOnly = () => new PageError(403, 'Admins only', 'Only an admin may do this.')

/** `/admin/claims`: the open claims, resolved with a refund or a release by an admin. */
export function adminClaimsRoutes() {
  const routes = new Hono<StorefrontEnv>()

  async function showClaims(c: StorefrontContext, errors?: string[], status?: 400 | 409) {
    if (!c.get('user')) return toSignIn(c, '/admin/claims')
    const reply = await c.var.api.get<OpenClaim[]>('/api/claims?status=open&limit=100')
    if (reply.status === 401) return toSignIn(c, '/admin/claims')
    if (reply.status === 403) throw adminsOnly()
    if (reply.status !== 200) throw unexpected(reply)
    const page = <ClaimsPage claims={reply.body} notice={noticeOf(c)} errors={errors} />
    return render(c, 'Open claims', page, { status })
  }

  routes.get('/admin/claims', (c) => showClaims(c))

  routes.post('/admin/claims/:id/resolve', async (c) => {
    if (!c.get('user')) return toSignIn(c, '/admin/claims')
    const { outcome } = await readForm(c)
    const reply = await c.var.api.post(`/api/claims/${idParam(c)}/resolve`, { outcome })
    if (reply.status === 200) return c.redirect('/admin/claims?notice=claim-resolved', 303)
    if (reply.status === 401) return toSignIn(c, '/admin/claims')
    if (reply.status === 403) throw adminsOnly()
    if (reply.status === 404) throw new PageError(404, 'Not found', 'We could not find that claim.')
    if (reply.status !== 400 && reply.status !== 409) throw unexpected(reply)
    return showClaims(
      c,
      reply.errors.map((e) => e.message),
      reply.status,
    )
  })

  return routes
}
