import type { Context } from 'hono'

type NodeEnv = { incoming?: { socket?: { remoteAddress?: string } } }
type DenoEnv = { remoteAddr?: { hostname?: string } }

/**
 * The `env` a caller in the same process passes to `app.fetch` (the embedded storefront calling
 * the API): a hop no socket can claim, so its `X-Forwarded-For` is believed.
 */
export const inProcessHop = Object.freeze({ twtixInProcess: true })

/** Which peers may speak for a client through `X-Forwarded-For`. */
export type TrustedProxies = (address: string) => boolean

export const trustNoProxy: TrustedProxies = () => false

/**
 * The caller's address: the connection's peer, unless that peer is a trusted proxy, in which case
 * the hop it appended to `X-Forwarded-For`, and so on leftwards while the hops are trusted. A
 * client can write whatever it likes into the header; only hops added by trusted proxies count.
 */
export function clientAddress(c: Context, trusted: TrustedProxies): string {
  const env = c.env as (NodeEnv & DenoEnv & Partial<typeof inProcessHop>) | undefined
  const peer = env?.twtixInProcess
    ? undefined
    : (env?.incoming?.socket?.remoteAddress ?? env?.remoteAddr?.hostname ?? 'unknown')
  const hops = (c.req.header('X-Forwarded-For') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean)
  let address = peer ?? hops.pop() ?? 'unknown'
  while (trusted(address) && hops.length > 0) address = hops.pop() as string
  return address
}

const named: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
}

/**
 * `TRUSTED_PROXIES`: a comma-separated list of addresses and CIDR ranges (IPv4 or IPv6), or the
 * names `loopback` and `private`. Throws on an entry it cannot read.
 */
export function parseTrustedProxies(list: string): TrustedProxies {
  const ranges = list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .flatMap((entry) => named[entry] ?? [entry])
    .map(parseRange)
  if (ranges.length === 0) return trustNoProxy
  return (address) => {
    const bits = addressBits(address)
    return bits !== undefined && ranges.some((r) => r.matches(bits))
  }
}

function parseRange(entry: string) {
  const [host = '', prefix] = entry.split('/')
  const bits = addressBits(host)
  if (bits === undefined) throw new Error(`not an IP address or range: ${entry}`)
  const width = bits.length
  const length = prefix === undefined ? width : Number(prefix)
  if (!Number.isInteger(length) || length < 0 || length > width || !/^\d*$/.test(prefix ?? '')) {
    throw new Error(`bad prefix length in ${entry}`)
  }
  const head = bits.slice(0, length)
  return { matches: (other: string) => other.length === width && other.startsWith(head) }
}

/** An address as a string of 32 or 128 bits; IPv4-mapped IPv6 (::ffff:a.b.c.d) as IPv4. */
function addressBits(address: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1]) return ipv4Bits(mapped[1])
  return address.includes(':') ? ipv6Bits(address) : ipv4Bits(address)
}

function ipv4Bits(address: string): string | undefined {
  const parts = address.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return
  return parts.map((p) => Number(p).toString(2).padStart(8, '0')).join('')
}

function ipv6Bits(address: string): string | undefined {
  const [head = '', tail, ...more] = address.split('::')
  if (more.length > 0) return
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const missing = 8 - left.length - right.length
  if (tail === undefined ? missing !== 0 : missing < 1) return
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right]
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return
  return groups.map((g) => Number.parseInt(g, 16).toString(2).padStart(16, '0')).join('')
}
