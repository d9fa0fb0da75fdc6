import {
  type BusMessage,
  ConfigError,
  createEnvelope,
  createInProcessBus,
  memoryLogger,
  readConfig,
  systemClock,
} from '@twtix/common'
import { createTestAuth, createTestDatabase, eventually } from '@twtix/common/testing'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PaymentsConfigSchema } from './config.ts'
import { orders } from './db/schema.ts'
import { startFakeStripe } from './gateway/fake-stripe.ts'
import { createPaymentsService, migrationsFolder } from './service.ts'

let database: Awaited<ReturnType<typeof createTestDatabase>>
let fake: Awaited<ReturnType<typeof startFakeStripe>>
beforeAll(async () => {
  database = await createTestDatabase({ service: 'payments', migrationsFolder })
  fake = await startFakeStripe()
})
afterAll(async () => {
  await fake.close()
  await database.close()
})

async function start(env: Record<string, string>) {
  const auth = await createTestAuth()
  const bus = createInProcessBus()
  const service = await createPaymentsService({
    config: readConfig(PaymentsConfigSchema, env),
    database,
    bus,
    logger: memoryLogger('warn'),
    clock: systemClock,
    keys: async () => ({ keys: [auth.key.publicJwk] }),
  })
  return { auth, bus, service }
}

describe('payments service', () => {
  it('refuses to start without a Stripe key unless PAYMENTS_OFFLINE=true says so', async () => {
    await expect(start({})).rejects.toThrow(
      'Configuration error: STRIPE_SECRET_KEY: required unless PAYMENTS_OFFLINE=true (it is missing)',
    )
    await expect(start({ PAYMENTS_OFFLINE: 'false' })).rejects.toThrow(ConfigError)
    await expect(
      start({ PAYMENTS_OFFLINE: 'true', STRIPE_SECRET_KEY: 'sk_test_both' }),
    ).rejects.toThrow('PAYMENTS_OFFLINE: true while STRIPE_SECRET_KEY is set')
  })

  it('says when it uses the offline gateway', async () => {
    const { service, bus } = await start({ PAYMENTS_OFFLINE: 'true' })
    expect(service.summary).toContain('PAYMENTS_OFFLINE=true')
    expect(service.summary).toContain('offline payment gateway')
    expect(service.summary).toContain('webhooks off')
    await bus.close()
  })

  it('consumes order events, charges through Stripe and publishes payment.succeeded', async () => {
    const { auth, bus, service } = await start({
      STRIPE_SECRET_KEY: 'sk_test_service',
      STRIPE_API_URL: fake.url,
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    })
    expect(service.summary).toContain(`Stripe payment gateway at ${fake.url}`)
    await service.start()
    const published: BusMessage[] = []
    await bus.subscribe({
      group: 'test-reader',
      topics: ['payments'],
      handler: async (m) => {
        published.push(m)
      },
    })
    const { user, headers } = await auth.user()
    const orderId = crypto.randomUUID()
    const created = createEnvelope('order.created', {
      id: orderId,
      userId: user.id,
      status: 'created',
      expiresAt: new Date(Date.now() + 900_000).toISOString(),
      version: 0,
      ticket: { id: crypto.randomUUID(), title: 'Opera', price: 6800 },
    })
    await bus.publish('orders', [{ key: orderId, value: JSON.stringify(created) }])
    await eventually(async () => {
      const [row] = await database.db.select().from(orders).where(eq(orders.id, orderId))
      return row
    })
    const res = await service.app.fetch(
      new Request('http://payments/api/payments', {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ orderId, token: 'tok_visa' }),
      }),
    )
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ orderId, status: 'succeeded', stripeId: 'pi_fake_1' })
    expect(fake.requests.at(-1)?.form.get('amount')).toBe('6800')
    const message = await eventually(() => published.find((m) => m.key === orderId))
    expect(JSON.parse(message.value)).toMatchObject({
      type: 'payment.succeeded',
      source: 'payments',
      data: { orderId, amount: 6800, stripeId: 'pi_fake_1' },
    })
    await service.stop()
    await bus.close()
  })
})
