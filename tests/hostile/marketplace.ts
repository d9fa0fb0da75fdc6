import process from 'node:process'
import { type ManualClock, manualClock, memoryLogger } from '@twtix/common'
import { eventually } from '@twtix/common/testing'
import { eq } from 'drizzle-orm'
import { expect } from 'vitest'
import { createEmbedded, type Embedded } from '../../embedded/create-embedded.ts'
import { orders as paymentsOrders } from '../../services/payments/src/db/schema.ts'
import { LIMITS_OFF } from '../../tools/lib/limits.ts'
import { settle } from './state.ts'

export const BASE_URL = 'http://twtix.test'
export const WEBHOOK_SECRET = 'whsec_hostile_suite'
/** auth's key encryption key here, so the suites can open its signing key to forge with it. */
export const KEY_ENCRYPTION_KEY = btoa('hostile-suite-key-encryption-32b')

/** A signed-up user: the access token and the refresh cookie (`refresh=<secret>`) it came with. */
export type User = { id: string; email: string; token: string; refresh: string }

export type Reply = {
  status: number
  text: string
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  body: any
  headers: Headers
}

export type SendOptions = {
  /** Sent as JSON with `Content-Type: application/json`. */
  body?: unknown
  /** Sent URL-encoded, as a browser posts a form. */
  form?: Record<string, string>
  /** Sent as it is; give the Content-Type in `headers`. */
  raw?: string | ReadableStream<Uint8Array>
  /** As `Authorization: Bearer`. */
  token?: string
  /** As the session cookie, as a browser sends it. */
  cookie?: string
  headers?: Record<string, string>
}

/**
 * A private PostgreSQL database for this test file when DATABASE_URL is set (dropped at the
 * end), so files running in parallel never see each other's rows; else PGlite in memory.
 */
async function privateDatabaseUrl() {
  const url = process.env.DATABASE_URL
  if (!url) return undefined
  const { default: postgres } = await import('postgres')
  const name = `twtix_hostile_${crypto.randomUUID().slice(0, 8)}`
  const admin = postgres(url, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const target = new URL(url)
  target.pathname = `/${name}`
  return {
    url: target.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists "${name}" with (force)`)
      await admin.end()
    },
  }
}

/** `refresh=<value>` as a response set it. */
export function refreshCookieOf(res: { headers: Headers }): string {
  const line = res.headers.getSetCookie().find((l) => l.startsWith('refresh=')) ?? ''
  return line.split(';')[0] as string
}

export type Marketplace = Awaited<ReturnType<typeof createMarketplace>>

/** The whole marketplace in-process, for one test file, with helpers that go through its API. */
export async function createMarketplace(options: { env?: Record<string, string> } = {}) {
  const clock: ManualClock = manualClock(new Date())
  const logger = memoryLogger('warn')
  // The admins' emails (ADMIN_EMAILS): `signUpAdmin` takes the next one.
  const adminEmails = Array.from(
    { length: 50 },
    (_, i) => `admin-${i}-${crypto.randomUUID().slice(0, 8)}@example.test`,
  )
  const database = await privateDatabaseUrl()
  const embedded: Embedded = await createEmbedded({
    env: {
      // Every request here comes from one address and a few buyers.
      ...LIMITS_OFF,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      AUTH_KEY_ENCRYPTION_KEY: KEY_ENCRYPTION_KEY,
      ADMIN_EMAILS: adminEmails.join(','),
      ...options.env,
      DATABASE_URL: database?.url,
    },
    clock,
    logger,
    policy: { maxAttempts: 20, backoffMs: () => 10 },
  })
  const db = embedded.database.db

  async function send(method: string, path: string, options: SendOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {}
    let body: string | ReadableStream<Uint8Array> | undefined
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(options.body)
    }
    if (options.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(options.form).toString()
    }
    if (options.raw !== undefined) body = options.raw
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`
    if (options.cookie !== undefined) headers.Cookie = `session=${options.cookie}`
    Object.assign(headers, options.headers)
    const init: RequestInit & { duplex?: 'half' } = { method, headers, body }
    if (body instanceof ReadableStream) init.duplex = 'half'
    const res = await embedded.fetch(new Request(new URL(path, BASE_URL), init))
    const text = await res.text()
    let parsed: unknown = null
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      parsed = undefined
    }
    return { status: res.status, text, body: parsed, headers: res.headers }
  }

  async function signUp(name = 'user', admin = false): Promise<User> {
    const email = admin
      ? (adminEmails.shift() as string)
      : `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`
    const res = await send('POST', '/api/users/signup', {
      body: { email, password: 'correct horse battery' },
    })
    expect(res.status, res.text).toBe(201)
    return { id: res.body.id, email, token: res.body.token, refresh: refreshCookieOf(res) }
  }

  /** A new admin (an email of ADMIN_EMAILS). */
  const signUpAdmin = () => signUp('admin', true)
  let admin: Promise<User> | undefined
  /** One admin for a whole test file, signed up on first use. */
  const theAdmin = () => {
    admin ??= signUpAdmin()
    return admin
  }

  /** A new session of `user` (sign-in): its refresh cookie, each secret good for one refresh. */
  async function freshRefresh(user: User): Promise<string> {
    const res = await send('POST', '/api/users/signin', {
      body: { email: user.email, password: 'correct horse battery' },
    })
    expect(res.status, res.text).toBe(200)
    return refreshCookieOf(res)
  }

  async function listTicket(
    seller: User,
    body: Record<string, unknown> = { title: 'Budokan, arena A', price: 5000 },
  ) {
    const res = await send('POST', '/api/tickets', { body, token: seller.token })
    expect(res.status, res.text).toBe(201)
    return res.body as { id: string; version: number }
  }

  /** An order of `buyer` for a new ticket of `seller`, known to tickets and payments. */
  async function placeOrder(buyer: User, seller: User, price = 5000) {
    const ticket = await listTicket(seller, { title: 'Nippon Budokan, row 7', price })
    const order = await eventually(
      async () => {
        const res = await send('POST', '/api/orders', {
          body: { ticketId: ticket.id },
          token: buyer.token,
        })
        return res.status === 201 ? (res.body as { id: string }) : undefined
      },
      { timeoutMs: 10_000, intervalMs: 10, message: 'orders never learnt of the ticket' },
    )
    await eventually(
      async () =>
        (await db.select().from(paymentsOrders).where(eq(paymentsOrders.id, order.id))).length > 0,
      { timeoutMs: 10_000, intervalMs: 10, message: 'payments never learnt of the order' },
    )
    await eventually(
      async () => (await send('GET', `/api/tickets/${ticket.id}`)).body?.status === 'reserved',
      { timeoutMs: 10_000, intervalMs: 10, message: 'the ticket was never reserved' },
    )
    return { ticket, order }
  }

  /** A paid (complete) order of `buyer` for a new ticket of `seller`, known as paid to orders. */
  async function paidOrder(buyer: User, seller: User) {
    const placed = await placeOrder(buyer, seller)
    const paid = await send('POST', '/api/payments', {
      body: { orderId: placed.order.id, token: 'tok_visa' },
      token: buyer.token,
    })
    expect(paid.status, paid.text).toBe(201)
    await eventually(
      async () =>
        (await send('GET', `/api/orders/${placed.order.id}`, { token: buyer.token })).body
          ?.status === 'complete',
      { timeoutMs: 10_000, intervalMs: 10, message: 'the order was never complete' },
    )
    return placed
  }

  return {
    embedded,
    db,
    clock,
    logger,
    send,
    signUp,
    admin: theAdmin,
    signUpAdmin,
    freshRefresh,
    listTicket,
    placeOrder,
    paidOrder,
    /** Waits for the events in flight and returns the state at rest. */
    settle: () => settle(db),
    async stop() {
      await embedded.stop()
      await database?.drop()
    },
  }
}
