import type { Context } from 'hono'

type NodeEnv = { incoming?: { socket?: { remoteAddress?: string } } }
type DenoEnv = { remoteAddr?: { hostname?: string } }

/**
 * The caller's address. Behind the ingress it is the last `X-Forwarded-For` hop (the one nginx
 * appended); that header is trusted only when `trustProxy` says the ingress is in front.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = c.req.header('X-Forwarded-For')?.split(',')
    const last = hops?.[hops.length - 1]?.trim()
    if (last) return last
  }
  const env = c.env as (NodeEnv & DenoEnv) | undefined
  return env?.incoming?.socket?.remoteAddress ?? env?.remoteAddr?.hostname ?? 'unknown'
}
