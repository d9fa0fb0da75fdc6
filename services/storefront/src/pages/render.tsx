import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { StorefrontEnv } from '../env.ts'
import { Layout } from './layout.tsx'

export type RenderOptions = { status?: ContentfulStatusCode; refreshSeconds?: number }

/** A whole HTML page: the layout around `body`, for the signed-in user if there is one. */
export function render(
  c: Context<StorefrontEnv>,
  title: string,
  body: Child,
  options: RenderOptions = {},
) {
  return c.html(
    <>
      {raw('<!DOCTYPE html>')}
      <Layout
        title={title}
        user={c.get('user') ?? null}
        path={c.req.path}
        nonce={c.get('secureHeadersNonce')}
        refreshSeconds={options.refreshSeconds}
      >
        {body}
      </Layout>
    </>,
    options.status ?? 200,
  )
}
