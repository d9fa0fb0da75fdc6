import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import kafkajs from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryLogger } from '../logger.ts'
import { busContract } from '../testing/bus-contract.ts'
import { eventually } from '../testing/test-database.ts'
import { createKafkaBus, type KafkaBusOptions } from './kafka.ts'
import type { EventBus } from './port.ts'

const brokers = process.env.KAFKA_BROKERS?.split(',')
if (!brokers) {
  console.warn(
    'kafka.test.ts: SKIPPED: KAFKA_BROKERS is not set. To run the Kafka adapter tests: ' +
      '`npm run kafka:start`, then `KAFKA_BROKERS=127.0.0.1:9092 npx vitest run common/src/bus`',
  )
}

const repo = fileURLToPath(new URL('../../../', import.meta.url))
// The restart tests restart the broker of tools/kafka-start.sh; another broker is left alone.
const restartable = existsSync(`${repo}.kafka/broker.pid`)
const run = promisify(execFile)
const unique = (name: string) => `kafka-${name}-${crypto.randomUUID().slice(0, 8)}`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const open = (options: Partial<KafkaBusOptions> = {}) =>
  createKafkaBus({
    brokers: brokers ?? [],
    clientId: 'bus-test',
    logger: memoryLogger(),
    ...options,
  })

// Publishes like the outbox relay: a publish that failed is tried again until one resolves.
async function publishUntilAccepted(bus: EventBus, topic: string, key: string, value: string) {
  for (;;) {
    try {
      return await bus.publish(topic, [{ key, value }])
    } catch {
      await sleep(500)
    }
  }
}

describe.skipIf(!brokers)('kafka adapter', () => {
  busContract('kafka', (policy) => open({ policy, clientId: 'bus-contract' }), {
    timeoutMs: 30_000,
  })

  describe('topics', () => {
    const admin = new kafkajs.Kafka({ brokers: brokers ?? [], logLevel: 0 }).admin()
    beforeAll(() => admin.connect())
    afterAll(() => admin.disconnect())

    const partitionsOf = async (names: string[]) => {
      const { topics } = await admin.fetchTopicMetadata({ topics: names })
      return Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]))
    }

    it('creates each topic and its .dlq with the configured partitions, once', async () => {
      const one = await open({ partitions: 4 })
      const two = await open({ partitions: 4 })
      const topic = unique('topics')
      // Two processes starting at the same time, and one asking twice.
      await Promise.all([one.ensureTopics([topic]), two.ensureTopics([topic, topic])])
      await one.ensureTopics([topic])
      expect(await partitionsOf([topic, `${topic}.dlq`])).toEqual({
        [topic]: 4,
        [`${topic}.dlq`]: 4,
      })
      await Promise.all([one.close(), two.close()])
    })

    it('creates a topic on its first publish', async () => {
      const bus = await open()
      const topic = unique('publish')
      await bus.publish(topic, [{ key: 'k', value: 'v' }])
      expect(await partitionsOf([topic, `${topic}.dlq`])).toEqual({
        [topic]: 3,
        [`${topic}.dlq`]: 3,
      })
      await bus.close()
    })
  })

  it('rejects ping and publish when no broker answers, instead of hanging', async () => {
    const bus = await open({
      brokers: ['127.0.0.1:1'],
      retry: { retries: 1, initialRetryTime: 100 },
      pingTimeoutMs: 1000,
    })
    await expect(bus.ping()).rejects.toThrow()
    await expect(bus.publish(unique('nowhere'), [{ key: 'k', value: 'v' }])).rejects.toThrow()
    await bus.close()
  })

  it('keeps heartbeats flowing while a handler runs longer than the session timeout', async () => {
    const bus = await open({ sessionTimeout: 6000, heartbeatInterval: 500 })
    const topic = unique('slow')
    await bus.ensureTopics([topic])
    const calls: string[] = []
    await bus.subscribe({
      group: unique('g'),
      topics: [topic],
      handler: async (m) => {
        calls.push(m.value)
        if (m.value === 'slow') await sleep(8000)
      },
    })
    await bus.publish(topic, [
      { key: 'k', value: 'slow' },
      { key: 'k', value: 'next' },
    ])
    await eventually(() => calls.includes('next'), { timeoutMs: 30_000, intervalMs: 50 })
    // A member whose session expired would have lost the partition and seen 'slow' again.
    await sleep(1000)
    expect(calls).toEqual(['slow', 'next'])
    await bus.close()
  }, 60_000)

  it('commits the last offset soon after traffic stops, and what is pending on close', async () => {
    const bus = await open({ partitions: 1 })
    const admin = new kafkajs.Kafka({ brokers: brokers ?? [], logLevel: 0 }).admin()
    await admin.connect()
    const topic = unique('commits')
    const group = unique('g')
    await bus.ensureTopics([topic])
    const committed = async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] })
      return offsets?.partitions[0]?.offset
    }
    const handled: string[] = []
    const subscription = await bus.subscribe({
      group,
      topics: [topic],
      handler: async (m) => {
        handled.push(m.value)
      },
    })
    // A trickle of one-message batches, as under steady traffic.
    for (let i = 0; i < 10; i++) await bus.publish(topic, [{ key: 'k', value: `${i}` }])
    await eventually(() => handled.length === 10, { timeoutMs: 30_000 })
    await eventually(async () => (await committed()) === '10', { timeoutMs: 2000, intervalMs: 20 })
    // Closed as soon as the last ones are handled, maybe with their offset still pending: it is
    // committed by the time close resolves, so the next member does not see them again.
    await bus.publish(topic, [{ key: 'k', value: '10' }])
    await bus.publish(topic, [{ key: 'k', value: '11' }])
    await eventually(() => handled.length === 12, { timeoutMs: 30_000, intervalMs: 1 })
    await subscription.close()
    expect(await committed()).toBe('12')
    await Promise.all([bus.close(), admin.disconnect()])
  }, 60_000)

  it("takes a gathering group's trickle together, once its wait is over", async () => {
    const bus = await open({ partitions: 1 })
    const topic = unique('gather')
    await bus.ensureTopics([topic])
    const deliveries: string[][] = []
    await bus.subscribe({
      group: unique('g'),
      topics: [topic],
      gatherMs: 3000,
      handler: async (m) => {
        deliveries.push([m.value])
      },
      batchHandler: async (messages) => {
        deliveries.push(messages.map((m) => m.value))
      },
    })
    // Five messages over about a quarter of a second, each acknowledged before the next: taken
    // as soon as published, as a group that does not gather takes them, they would come one by one.
    for (let i = 0; i < 5; i++) {
      await bus.publish(topic, [{ key: 'k', value: `${i}` }])
      await sleep(50)
    }
    await eventually(() => deliveries.flat().length === 5, { timeoutMs: 30_000, intervalMs: 20 })
    expect(deliveries.flat()).toEqual(['0', '1', '2', '3', '4'])
    // The fetch's wait may end while they are published: two deliveries at most.
    expect(deliveries.length).toBeLessThanOrEqual(2)
    await bus.close()
  }, 60_000)

  // These restart the broker that tools/kafka-start.sh started: other suites using it at the
  // same time see the outage too.
  describe.skipIf(!restartable)('broker restart', () => {
    if (!restartable)
      console.warn('kafka.test.ts: broker restart tests SKIPPED: no .kafka/broker.pid')

    for (const how of ['clean', 'kill'] as const) {
      it(`keeps consuming and publishing across a ${how} restart, losing nothing`, async () => {
        const logger = memoryLogger('warn')
        const bus = await open({ logger })
        const topic = unique(`restart-${how}`)
        await bus.ensureTopics([topic])
        const handled = new Set<string>()
        await bus.subscribe({
          group: unique('g'),
          topics: [topic],
          handler: async (m) => {
            handled.add(m.value)
          },
        })
        const published: string[] = []
        const publish = async (value: string) => {
          await publishUntilAccepted(bus, topic, `key-${published.length % 7}`, value)
          published.push(value)
        }
        for (let i = 0; i < 10; i++) await publish(`before-${i}`)
        await eventually(() => handled.size === 10, { timeoutMs: 30_000 })

        const args = how === 'kill' ? ['--kill'] : []
        const restart = run('bash', ['tools/kafka-restart.sh', ...args], { cwd: repo })
        const pingFails = () => bus.ping().catch(() => 'down')
        await eventually(pingFails, { timeoutMs: 60_000, intervalMs: 200, message: 'broker down' })
        const away = Date.now()
        // Published while the broker is away: each publish rejects or waits until it gets through.
        for (let i = 0; i < 5; i++) await publish(`during-${i}`)
        await restart
        const back = Date.now()
        for (let i = 0; i < 5; i++) await publish(`after-${i}`)
        const missing = () => published.filter((v) => !handled.has(v))
        await eventually(() => missing().length === 0, { timeoutMs: 90_000 }).catch(() => {})
        expect(missing()).toEqual([])
        const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
        console.info(
          `kafka ${how} restart: broker away ${seconds(back - away)}, all ${published.length} ` +
            `handled ${seconds(Date.now() - back)} after it was back`,
        )
        expect(await bus.ping()).toBeUndefined()
        await bus.close()
        // Connection errors are expected, and so is a consumer kafkajs gave up on while the broker
        // was away (warn); one that kept failing once the broker was back would be an error.
        expect(logger.lines.filter((l) => l.includes('"level":"error"'))).toEqual([])
      }, 240_000)
    }
  })
})
