import {
  type BusMessage,
  createInProcessBus,
  manualClock,
  memoryLogger,
  readConfig,
} from '@twtix/common'
import { createTestAuth, createTestDatabase, eventually } from '@twtix/common/testing'
import { and, eq } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { TicketsConfigSchema } from './config.ts'
import { processedEvents } from './db/schema.ts'
import { createTicketsService, migrationsFolder } from './service.ts'
import { jsonRequest, orderCreated, ticketRow } from './test-support.ts'

const database = await createTestDatabase({ service: 'tickets', migrationsFolder })
const logger = memoryLogger('warn')
const bus = createInProcessBus({ logger, policy: { maxAttempts: 2, backoffMs: () => 5 } })
const auth = await createTestAuth()
const service = await createTicketsService({
  config: readConfig(TicketsConfigSchema, {}),
  database,
  bus,
  logger,
  clock: manualClock(),
  keys: async () => ({ keys: [auth.key.publicJwk] }),
})
await service.start()
afterAll(async () => {
  await service.stop()
  await bus.close()
  await database.close()
})

/** Everything published on a topic, as a listening consumer group sees it. */
async function collect(topic: string) {
  const seen: BusMessage[] = []
  await bus.ensureTopics([topic])
  await bus.subscribe({
    group: `test-${crypto.randomUUID()}`,
    topics: [topic],
    handler: async (m) => {
      seen.push(m)
    },
  })
  return seen
}

const published = await collect('tickets')
const deadLetters = await collect('orders.dlq')

async function processedCount(eventId: string) {
  const rows = await database.db
    .select()
    .from(processedEvents)
    .where(and(eq(processedEvents.consumer, 'tickets'), eq(processedEvents.eventId, eventId)))
  return rows.length
}

describe('tickets service', () => {
  it('publishes ticket.created through the outbox relay', async () => {
    const { headers } = await auth.user()
    const res = await service.app.fetch(
      new Request(
        'http://tickets/api/tickets',
        jsonRequest('POST', { title: 'Gig', price: 3000 }, headers),
      ),
    )
    expect(res.status).toBe(201)
    const ticket = await res.json()
    const message = await eventually(() => published.find((m) => m.key === ticket.id))
    expect(message.headers['event-type']).toBe('ticket.created')
    expect(JSON.parse(message.value).data).toMatchObject({ id: ticket.id, version: 0 })
  })

  it('reserves on order.created once, however often the event is delivered', async () => {
    const { headers } = await auth.user()
    const res = await service.app.fetch(
      new Request(
        'http://tickets/api/tickets',
        jsonRequest('POST', { title: 'Play', price: 800 }, headers),
      ),
    )
    const ticket = await res.json()
    const event = orderCreated(ticket.id)
    const message = { key: event.data.id, value: JSON.stringify(event) }
    await bus.publish('orders', [message, message])
    // Same order (same key, so same partition, after the duplicate): a marker that all arrived.
    const marker = orderCreated(ticket.id, event.data.id)
    await bus.publish('orders', [{ key: event.data.id, value: JSON.stringify(marker) }])
    await eventually(async () => (await processedCount(marker.id)) === 1)
    expect(await processedCount(event.id)).toBe(1)
    expect(await ticketRow(database.db, ticket.id)).toMatchObject({
      status: 'reserved',
      orderId: event.data.id,
      version: 1,
    })
    const updates = await eventually(() => {
      const found = published.filter((m) => m.key === ticket.id)
      return found.length === 2 && found
    })
    expect(updates.map((m) => m.headers['event-type'])).toEqual([
      'ticket.created',
      'ticket.updated',
    ])
  })

  it('dead-letters an order event for an unknown ticket and records nothing', async () => {
    const event = orderCreated(crypto.randomUUID())
    await bus.publish('orders', [{ key: event.data.id, value: JSON.stringify(event) }])
    const letter = await eventually(() => deadLetters.find((m) => m.key === event.data.id))
    expect(letter.headers['x-dlq-error']).toContain('unknown ticket')
    expect(letter.headers['x-dlq-group']).toBe('tickets')
    expect(await processedCount(event.id)).toBe(0)
  })

  it('answers /health and /ready', async () => {
    expect((await service.app.fetch(new Request('http://tickets/health'))).status).toBe(200)
    expect((await service.app.fetch(new Request('http://tickets/ready'))).status).toBe(200)
  })
})
