import { Hono } from 'hono'
import type { StorefrontEnv } from '../env.ts'
import { render } from '../pages/render.tsx'
import { type Payout, SalesPage } from '../pages/sales-page.tsx'
import { noticeOf, toSignIn, unexpected } from './shared.ts'

type Onboarding = { accountId: string; payoutsEnabled: boolean; url: string }

/** `/sales`: the seller's payouts, and the way to Stripe's onboarding. */
export function salesRoutes() {
  const routes = new Hono<StorefrontEnv>()

  routes.get('/sales', async (c) => {
    if (!c.get('user')) return toSignIn(c)
    const reply = await c.var.api.get<Payout[]>('/api/payouts?limit=100')
    if (reply.status === 401) return toSignIn(c)
    if (reply.status !== 200) throw unexpected(reply)
    return render(c, 'My sales', <SalesPage payouts={reply.body} notice={noticeOf(c)} />)
  })

  routes.post('/sales/onboard', async (c) => {
    if (!c.get('user')) return toSignIn(c, '/sales')
    const reply = await c.var.api.post<Onboarding>('/api/payouts/account', {})
    if (reply.status === 401) return toSignIn(c, '/sales')
    if (reply.status !== 200) throw unexpected(reply)
    const { url } = reply.body
    // Stripe's hosted page; the offline gateway's link is an API route, followed here.
    if (/^https:\/\//.test(url)) return c.redirect(url, 303)
    const done = await c.var.api.get<Onboarding>(url)
    if (done.status !== 200) throw unexpected(done)
    return c.redirect('/sales?notice=onboarded', 303)
  })

  return routes
}
