import { readFileSync } from 'node:fs'
import process from 'node:process'
import { deadLetterTopic, memoryLogger, topicOwners } from '@twtix/common'
import kafkajs, { type Admin, type SASLOptions } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKafkaBus } from '../../common/src/bus/kafka.ts'
import type { BusMessage, EventBus } from '../../common/src/bus/port.ts'
import { stateful } from '../topology.ts'
import {
  aclEntries,
  allTopics,
  consumedSubjects,
  kafkaAccess,
  removeKafkaAccess,
  setupKafka,
} from './acls.ts'

const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs

describe('kafkaAccess: what each service may do, from topicOwners and its subscriptions', () => {
  const access = kafkaAccess('p.')
  const of = (user: string) => access.find((a) => a.user === user)

  it('has a user for every service on the bus, auth included', () => {
    expect(access.map((a) => a.user)).toEqual(stateful.map((s) => s.name))
  })

  it('lets exactly the owner write each topic', () => {
    for (const [topic, owner] of Object.entries(topicOwners)) {
      const writers = access.filter((a) => a.writes.includes(`p.${topic}`)).map((a) => a.user)
      expect([topic, writers]).toEqual([topic, [owner]])
    }
  })

  it('reads what the subscriptions consume, in the service’s own group, and dead-letters there', () => {
    expect(of('orders')).toEqual({
      user: 'orders',
      writes: ['p.orders'],
      reads: ['p.sessions', 'p.tickets', 'p.events', 'p.expiration', 'p.payments'],
      deadLetters: [
        'p.sessions.dlq',
        'p.tickets.dlq',
        'p.events.dlq',
        'p.expiration.dlq',
        'p.payments.dlq',
      ],
      groups: ['p.orders'],
    })
    expect(of('expiration')?.reads).toEqual(['p.orders'])
    // auth publishes session.revoked and reads nothing; every service that verifies reads it.
    expect(of('auth')).toMatchObject({ writes: ['p.sessions'], reads: [], groups: [] })
    for (const name of ['tickets', 'orders', 'payments']) {
      expect(of(name)?.reads).toContain('p.sessions')
    }
    expect(consumedSubjects('payments')).toContain('order.created')
  })

  it('has kafka:start make a SCRAM user for the admin and each of these services', () => {
    const script = readFileSync(new URL('../kafka-start.sh', import.meta.url), 'utf8')
    const users = /scram_users="\$\{KAFKA_SCRAM_USERS:-([^}]*)\}"/.exec(script)?.[1]
    expect(users?.split(' ')).toEqual(['admin', ...access.map((a) => a.user)])
  })

  it('grants literal names only, and nothing on the cluster', () => {
    const entries = aclEntries(access)
    expect(new Set(entries.map((e) => e.resourcePatternType))).toEqual(
      new Set([ResourcePatternTypes.LITERAL]),
    )
    expect(entries.some((e) => e.resourceType === AclResourceTypes.CLUSTER)).toBe(false)
    expect(entries.some((e) => e.operation === AclOperationTypes.CREATE)).toBe(false)
    expect(allTopics('p.')).toContain('p.tickets.dlq')
  })
})

// ---------------------------------------------------------------- against a real broker

type Credentials = { brokers: string; mechanism: string; users: Record<string, string> }
const brokers = process.env.KAFKA_BROKERS?.split(',')
const credentialsFile = process.env.KAFKA_CREDENTIALS_FILE
const credentials: Credentials | undefined = credentialsFile
  ? JSON.parse(readFileSync(credentialsFile, 'utf8'))
  : undefined
if (!brokers || !credentials) {
  console.warn(
    'acls.test.ts: broker tests SKIPPED: KAFKA_BROKERS and KAFKA_CREDENTIALS_FILE are not both set. ' +
      'To run them: `npm run kafka:start`, then `KAFKA_BROKERS=127.0.0.1:9092 ' +
      'KAFKA_CREDENTIALS_FILE=.kafka/credentials.json npx vitest run tools/kafka`',
  )
}

const saslOf = (user: string, password = credentials?.users[user] ?? ''): SASLOptions =>
  ({
    mechanism: credentials?.mechanism ?? 'scram-sha-512',
    username: user,
    password,
  }) as SASLOptions
const client = (sasl?: SASLOptions) =>
  new kafkajs.Kafka({
    clientId: 'acl-test',
    brokers: credentials?.brokers.split(',') ?? [],
    sasl,
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 0 },
  })

describe.skipIf(!brokers || !credentials)('Kafka ACLs on the broker (SASL/SCRAM)', () => {
  // Topics and ACLs of this run only: the services' names under a prefix of its own.
  const prefix = `acl-${crypto.randomUUID().slice(0, 8)}.`
  let admin: Admin
  const buses: EventBus[] = []
  const busOf = async (user: string) => {
    const bus = await createKafkaBus({
      brokers: credentials?.brokers.split(',') ?? [],
      sasl: saslOf(user),
      clientId: `acl-test-${user}`,
      logger: memoryLogger(),
      partitions: 1,
      retry: { retries: 1 },
    })
    buses.push(bus)
    return bus
  }

  beforeAll(async () => {
    admin = new kafkajs.Kafka({ brokers: brokers ?? [], logLevel: 0 }).admin()
    await admin.connect()
    await setupKafka({ admin, prefix, partitions: 1 })
  })

  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()))
    await admin.deleteTopics({ topics: allTopics(prefix) }).catch(() => {})
    await removeKafkaAccess(admin, prefix)
    const left = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourceName: `${prefix}orders`,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    })
    await admin.disconnect()
    expect(left.resources).toEqual([])
  })

  it('refuses the orders user a write to tickets (TOPIC_AUTHORIZATION_FAILED)', async () => {
    const orders = await busOf('orders')
    const error = await orders
      .publish(`${prefix}tickets`, [{ key: 'k', value: '{"forged":true}' }])
      .then(
        () => undefined,
        (err: Error & { type?: string }) => err,
      )
    expect(error?.type ?? error?.message).toMatch(/TOPIC_AUTHORIZATION_FAILED/)
    // ... nor may it consume as another service's group
    const stranger = client(saslOf('orders')).consumer({ groupId: `${prefix}tickets` })
    await stranger.connect()
    const joined = new Promise<string>((resolve) => {
      stranger.on(stranger.events.CRASH, ({ payload }) => resolve(String(payload.error)))
    })
    await stranger.subscribe({ topics: [`${prefix}tickets`] })
    await stranger.run({ eachMessage: async () => {} })
    // The broker refuses the group's coordinator lookup (GROUP_AUTHORIZATION_FAILED), which
    // kafkajs reports as no coordinator: the consumer crashes instead of joining.
    expect(await joined).toMatch(/authoriz|coordinator/i)
    await stranger.disconnect()
  })

  it('refuses a wrong password and a client with none', async () => {
    const wrong = client(saslOf('orders', 'not-the-password')).admin()
    await expect(wrong.connect()).rejects.toThrow(/authentication failed/i)
    const anonymous = client().admin()
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow()
    await anonymous.disconnect()
  })

  it('hides the topics a service does not use', async () => {
    const expiration = client(saslOf('expiration')).admin()
    await expiration.connect()
    const seen = (await expiration.listTopics()).filter((t) => t.startsWith(prefix)).sort()
    await expiration.disconnect()
    expect(seen).toEqual([
      `${prefix}expiration`,
      `${prefix}expiration.dlq`,
      `${prefix}orders`,
      `${prefix}orders.dlq`,
    ])
  })

  it('lets each service publish its own topic and consume the topics it reads', async () => {
    const access = kafkaAccess(prefix)
    const received = new Map<string, Set<string>>()
    for (const a of access.filter((x) => x.reads.length > 0)) {
      const bus = await busOf(a.user)
      const got = new Set<string>()
      received.set(a.user, got)
      await bus.subscribe({
        group: a.groups[0] as string,
        topics: a.reads,
        handler: async (m: BusMessage) => {
          got.add(m.topic)
        },
      })
      // Its consumers may dead-letter what they read.
      for (const dlq of a.deadLetters) await bus.publish(dlq, [{ key: 'k', value: '{}' }])
    }
    for (const a of access.filter((x) => x.writes.length > 0)) {
      const bus = await busOf(a.user)
      for (const topic of a.writes) await bus.publish(topic, [{ key: 'k', value: '{}' }])
    }
    const deadline = Date.now() + 30_000
    const complete = () => access.every((a) => a.reads.every((t) => received.get(a.user)?.has(t)))
    while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
    for (const a of access) {
      expect([a.user, [...(received.get(a.user) ?? [])].sort()]).toEqual([
        a.user,
        [...a.reads].sort(),
      ])
    }
    expect(deadLetterTopic(`${prefix}orders`)).toBe(`${prefix}orders.dlq`)
  }, 90_000)
})
