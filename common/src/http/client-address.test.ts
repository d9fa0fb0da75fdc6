import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import {
  clientAddress,
  inProcessHop,
  parseTrustedProxies,
  type TrustedProxies,
  trustNoProxy,
} from './client-address.ts'

async function addressOf(trusted: TrustedProxies, peer: unknown, forwardedFor?: string) {
  const app = new Hono().get('/', (c) => c.text(clientAddress(c, trusted)))
  const headers: Record<string, string> = forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}
  const res = await app.fetch(new Request('http://x/', { headers }), peer)
  return res.text()
}
const socket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } })

describe('parseTrustedProxies', () => {
  it('reads addresses, IPv4 and IPv6 ranges and the named sets', () => {
    const trusted = parseTrustedProxies('203.0.113.7, 10.1.0.0/16, 2001:db8::/32, loopback')
    expect(trusted('203.0.113.7')).toBe(true)
    expect(trusted('203.0.113.8')).toBe(false)
    expect(trusted('10.1.255.3')).toBe(true)
    expect(trusted('10.2.0.1')).toBe(false)
    expect(trusted('2001:db8:0:1::5')).toBe(true)
    expect(trusted('2001:db9::5')).toBe(false)
    expect(trusted('127.0.0.1')).toBe(true)
    expect(trusted('::1')).toBe(true)
    // Node's dual-stack sockets report IPv4 peers as IPv4-mapped IPv6.
    expect(trusted('::ffff:127.0.0.1')).toBe(true)
    expect(trusted('unknown')).toBe(false)
    const privateRanges = parseTrustedProxies('private')
    expect(['10.0.0.1', '172.20.0.3', '192.168.1.1', 'fd00::1'].map(privateRanges)).toEqual([
      true,
      true,
      true,
      true,
    ])
    expect(['172.32.0.1', '8.8.8.8', '::1'].map(privateRanges)).toEqual([false, false, false])
  })

  it('trusts nobody when empty and refuses what is not an address or range', () => {
    expect(parseTrustedProxies('')('127.0.0.1')).toBe(false)
    for (const bad of ['nginx', '10.0.0.0/33', '10.0.0.256', '1::2::3', '10.0.0.0/x']) {
      expect(() => parseTrustedProxies(bad), bad).toThrow()
    }
  })
})

describe('clientAddress', () => {
  it('is the socket peer when the peer is no trusted proxy, whatever the header says', async () => {
    expect(await addressOf(trustNoProxy, socket('198.51.100.4'), '10.9.9.9')).toBe('198.51.100.4')
    const loopback = parseTrustedProxies('loopback')
    expect(await addressOf(loopback, socket('198.51.100.4'), '10.9.9.9')).toBe('198.51.100.4')
  })

  it('walks X-Forwarded-For from the right while the hops are trusted', async () => {
    const trusted = parseTrustedProxies('loopback, 172.16.0.0/12')
    // A client's own forged entry (1.1.1.1) sits left of the first untrusted hop: not believed.
    const chain = '1.1.1.1, 203.0.113.9, 172.18.0.5'
    expect(await addressOf(trusted, socket('::ffff:127.0.0.1'), chain)).toBe('203.0.113.9')
    // Every hop trusted: the leftmost is the best there is.
    expect(await addressOf(trusted, socket('127.0.0.1'), '172.18.0.5')).toBe('172.18.0.5')
    expect(await addressOf(trusted, socket('127.0.0.1'))).toBe('127.0.0.1')
  })

  it('believes the in-process hop (the embedded storefront) and nothing without a socket', async () => {
    expect(await addressOf(trustNoProxy, inProcessHop, '203.0.113.9')).toBe('203.0.113.9')
    expect(await addressOf(trustNoProxy, undefined, '203.0.113.9')).toBe('unknown')
  })
})
