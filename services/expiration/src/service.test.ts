import { createInProcessBus, memoryLogger, readConfig, systemClock } from '@twtix/common'
import { eventually } from '@twtix/common/testing'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { ExpirationConfigSchema } from './config.ts'
import { outbox } from './db/schema.ts'
import { createExpirationService } from './service.ts'
import { dueRows, orderCreated, setupExpiration } from './test-support.ts'

const database = await setupExpiration()

describe('expiration service', () => {
  async function service() {
    const bus = createInProcessBus()
    const logger = memoryLogger()
    const config = readConfig(ExpirationConfigSchema, {})
    const created = await createExpirationService({
      config,
      database,
      bus,
      logger,
      clock: systemClock,
    })
    return { service: created, bus, logger }
  }

  it('answers /health and /ready, and nothing else', async () => {
    const { service: s, bus } = await service()
    expect((await s.app.fetch(new Request('http://w/health'))).status).toBe(200)
    const ready = await s.app.fetch(new Request('http://w/ready'))
    expect(await ready.json()).toEqual({ status: 'ready' })
    const unknown = await s.app.fetch(new Request('http://w/api/orders'))
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({
      errors: [expect.objectContaining({ message: expect.any(String) })],
    })
    await bus.close()
  })

  it('expires a held order on its own schedule and publishes expiration.completed', async () => {
    const { service: s, bus } = await service()
    const published: string[] = []
    await bus.ensureTopics(['expiration'])
    await bus.subscribe({
      group: `test-${crypto.randomUUID()}`,
      topics: ['expiration'],
      handler: async (m) => {
        published.push(m.value)
      },
    })
    await s.start()
    try {
      const orderId = crypto.randomUUID()
      // The hold ran out a moment ago, as orders would announce it.
      const event = orderCreated(orderId, new Date(Date.now() - 1000))
      await bus.publish('orders', [{ key: orderId, value: JSON.stringify(event) }])

      const message = await eventually(
        () => published.map((v) => JSON.parse(v)).find((e) => e.data.orderId === orderId),
        { timeoutMs: 10_000, message: 'expiration.completed published' },
      )
      expect(message).toMatchObject({ type: 'expiration.completed', source: 'expiration' })
      const rows = await database.db.select().from(outbox).where(eq(outbox.key, orderId))
      expect(rows).toHaveLength(1)
      await eventually(async () => {
        const [row] = await database.db.select().from(outbox).where(eq(outbox.key, orderId))
        return row?.sentAt !== null
      })
      expect(await dueRows(database.db, [orderId])).toEqual([])
    } finally {
      await s.stop()
      await bus.close()
    }
  })
})
