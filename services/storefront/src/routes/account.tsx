import { Hono } from 'hono'
import type { ApiReply } from '../api.ts'
import type { StorefrontContext, StorefrontEnv } from '../env.ts'
import { formErrors, noErrors, readForm, safeNext } from '../form.ts'
import { render } from '../pages/render.tsx'
import { SignInPage } from '../pages/sign-in-page.tsx'
import { SignUpPage } from '../pages/sign-up-page.tsx'
import { passCookies } from '../session.ts'
import { unexpected } from './shared.ts'

const FIELDS = ['email', 'password'] as const

function refusal(c: StorefrontContext, reply: ApiReply<unknown>): 400 | 429 {
  if (reply.status === 429) {
    c.header('Retry-After', reply.headers.get('Retry-After') ?? '60')
    return 429
  }
  if (reply.status === 400 || reply.status === 409) return 400
  throw unexpected(reply)
}

/** Sign up and sign in are the same form posted to a different API route. */
const credentialForms = [
  { path: '/signup', title: 'Sign up', Page: SignUpPage, apiPath: '/api/users/signup', ok: 201 },
  { path: '/signin', title: 'Sign in', Page: SignInPage, apiPath: '/api/users/signin', ok: 200 },
] as const

export function accountRoutes() {
  const routes = new Hono<StorefrontEnv>()

  for (const { path, title, Page, apiPath, ok } of credentialForms) {
    routes.get(path, (c) => {
      const next = safeNext(c.req.query('next'))
      return render(c, title, <Page email="" next={next} errors={noErrors} />)
    })

    routes.post(path, async (c) => {
      const fields = await readForm(c)
      const next = safeNext(fields.next)
      const email = fields.email ?? ''
      const reply = await c.var.api.post(apiPath, { email, password: fields.password ?? '' })
      if (reply.status === ok) {
        passCookies(c, reply)
        return c.redirect(next, 303)
      }
      const status = refusal(c, reply)
      const errors = formErrors(reply.errors, FIELDS)
      return render(c, title, <Page email={email} next={next} errors={errors} />, { status })
    })
  }

  routes.post('/signout', async (c) => {
    const reply = await c.var.api.post('/api/users/signout', {})
    if (reply.status !== 200) throw unexpected(reply)
    passCookies(c, reply)
    return c.redirect('/', 303)
  })

  return routes
}
