import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { PageError } from './errors.ts'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The origin browsers use for this shop: PUBLIC_URL, else the request as the ingress passed it. */
export function ownOrigin(c: Context, publicUrl?: string): string {
  if (publicUrl) return new URL(publicUrl).origin
  const url = new URL(c.req.url)
  const proto = c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim()
  if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`
  return url.origin
}

function originOf(value: string | undefined): string | undefined {
  if (!value) return undefined
  try {
    return new URL(value).origin
  } catch {
    return undefined
  }
}

/**
 * CSRF defence next to the SameSite=Lax session cookie: a form post is accepted only when its
 * `Origin` (or, from browsers that omit it, its `Referer`) is this shop. No header, no post.
 */
export function sameOriginPosts(publicUrl?: string) {
  return createMiddleware(async function sameOrigin(c, next) {
    if (safeMethods.has(c.req.method)) return next()
    // An Origin header, even "null", decides alone; only without one does Referer count.
    const origin = c.req.header('Origin')
    const from = origin === undefined ? originOf(c.req.header('Referer')) : originOf(origin)
    if (from !== ownOrigin(c, publicUrl)) {
      throw new PageError(
        403,
        'Form refused',
        'This form was not sent from this shop, so it was not processed. Go back, reload the page and try again.',
      )
    }
    await next()
  })
}
