import {
  type AnyEnvelope,
  type BusMessage,
  createEnvelope,
  createInProcessBus,
  type EventBus,
  manualClock,
  memoryLogger,
  readConfig,
  type Service,
  serveHttp,
} from '@twtix/common'
import type { Database } from '@twtix/common/db'
import {
  createTestAuth,
  createTestDatabase,
  eventually,
  type TestAuth,
} from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OrdersConfigSchema } from './config.ts'
import { authKeys } from './db/schema.ts'
import { createOrdersService, migrationsFolder } from './service.ts'
import { json, orderRow, ticketRow } from './test-support.ts'

let database: Database
let bus: EventBus
let auth: TestAuth
let service: Service
const seen: AnyEnvelope[] = []
const deadLetters: BusMessage[] = []
const busLogger = memoryLogger('warn')

const infra = () => ({
  config: readConfig(OrdersConfigSchema, { ORDER_HOLD_SECONDS: '60' }),
  database,
  bus,
  logger: memoryLogger('warn'),
  clock: manualClock(new Date()),
  keys: async () => ({ keys: [auth.key.publicJwk] }),
})

beforeAll(async () => {
  database = await createTestDatabase({ service: 'orders', migrationsFolder })
  bus = createInProcessBus({
    policy: { maxAttempts: 3, backoffMs: () => 5 },
    logger: busLogger,
  })
  auth = await createTestAuth()
  service = await createOrdersService(infra())
  await service.start()
  await bus.subscribe({
    group: 'test-reader',
    topics: ['orders'],
    handler: async (m) => void seen.push(JSON.parse(m.value)),
  })
  await bus.subscribe({
    group: 'test-dlq',
    topics: ['payments.dlq'],
    handler: async (m) => void deadLetters.push(m),
  })
})
afterAll(async () => {
  await service.stop()
  await bus.close()
  await database.close()
})

async function publish(topic: string, key: string, event: AnyEnvelope) {
  await bus.publish(topic, [{ key, value: JSON.stringify(event) }])
}

const request = (path: string, init?: RequestInit) =>
  service.app.fetch(new Request(`http://orders.test${path}`, init))

describe('the orders service', () => {
  it('replicates tickets, takes orders and completes them from the events it consumes', async () => {
    const ticket = {
      id: crypto.randomUUID(),
      title: 'Summer Sonic',
      price: 12_000,
      userId: crypto.randomUUID(),
      status: 'available' as const,
      orderId: null,
      version: 0,
    }
    await publish('tickets', ticket.id, createEnvelope('ticket.created', ticket))
    await eventually(() => ticketRow(database.db, ticket.id), { message: 'ticket replicated' })

    const buyer = await auth.user()
    const res = await request('/api/orders', json(buyer.headers, { ticketId: ticket.id }))
    expect(res.status).toBe(201)
    const order = await res.json()
    expect(new Date(order.expiresAt).getTime() - new Date(order.createdAt).getTime()).toBe(60_000)
    const created = await eventually(() =>
      seen.find((e) => e.type === 'order.created' && e.data.id === order.id),
    )
    expect(created.data).toMatchObject({ userId: buyer.user.id, ticket: { id: ticket.id } })

    const paid = { id: crypto.randomUUID(), orderId: order.id, amount: 12_000, stripeId: 'pi_1' }
    await publish('payments', order.id, createEnvelope('payment.succeeded', paid))
    const completed = await eventually(() =>
      seen.find((e) => e.type === 'order.completed' && e.data.id === order.id),
    )
    expect(completed.data).toEqual({ id: order.id, version: 1, ticket: { id: ticket.id } })
    expect(await orderRow(database.db, order.id)).toMatchObject({ status: 'complete' })
  })

  it('dead-letters an event about an order it never had, and goes on', async () => {
    const orderId = crypto.randomUUID()
    const data = { id: crypto.randomUUID(), orderId, reason: 'declined' }
    await publish('payments', orderId, createEnvelope('payment.failed', data))
    const dead = await eventually(() => deadLetters.find((m) => m.key === orderId))
    expect(dead.headers['x-dlq-error']).toContain('Order not found')
    // Poison: dead-lettered on the first attempt, not after the retries.
    expect(busLogger.lines.find((l) => l.includes(orderId))).toContain('"attempt":1')
  })

  it('answers /health and /ready', async () => {
    expect((await request('/health')).status).toBe(200)
    expect(await (await request('/ready')).json()).toEqual({ status: 'ready' })
  })

  it('needs a source of auth public keys', async () => {
    await expect(createOrdersService({ ...infra(), keys: undefined })).rejects.toThrow(
      /AUTH_JWKS_URL/,
    )
  })

  it("standalone, verifies sessions with auth's JWKS and keeps a copy in its own table", async () => {
    const jwks = await serveHttp(() => Response.json({ keys: [auth.key.publicJwk] }), {
      port: 0,
      hostname: '127.0.0.1',
    })
    const base = infra()
    const config = { ...base.config, AUTH_JWKS_URL: `http://127.0.0.1:${jwks.port}/jwks.json` }
    const standalone = () => createOrdersService({ ...base, config, keys: undefined })
    const buyer = await auth.user()
    const list = (s: Service) =>
      s.app.fetch(new Request('http://orders.test/api/orders', { headers: buyer.headers }))

    expect((await list(await standalone())).status).toBe(200)
    const [stored] = await database.db.select().from(authKeys)
    expect(stored?.jwks).toEqual({ keys: [auth.key.publicJwk] })

    await jwks.close()
    expect((await list(await standalone())).status).toBe(200) // auth down: the stored copy
  })
})

describe('OrdersConfigSchema', () => {
  it('defaults to port 3003 and a 900-second hold', () => {
    const config = readConfig(OrdersConfigSchema, {})
    expect(config).toMatchObject({
      PORT: 3003,
      ORDER_HOLD_SECONDS: 900,
      TOKEN_ISSUER: 'twtix-auth',
    })
  })

  it('names ORDER_HOLD_SECONDS when it is below 1 or not a number', () => {
    expect(() => readConfig(OrdersConfigSchema, { ORDER_HOLD_SECONDS: '0' })).toThrow(
      /ORDER_HOLD_SECONDS/,
    )
    expect(() => readConfig(OrdersConfigSchema, { ORDER_HOLD_SECONDS: 'soon' })).toThrow(
      /ORDER_HOLD_SECONDS/,
    )
  })
})
