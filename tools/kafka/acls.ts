import {
  baseTopicOf,
  deadLetterTopic,
  type Subject,
  type Subscriptions,
  type TopicName,
  topicOwners,
} from '@twtix/common'
import kafkajs, { type AclEntry, type Admin } from 'kafkajs'
import { subscriptions as expiration } from '../../services/expiration/src/events/subscriptions.ts'
import { subscriptions as orders } from '../../services/orders/src/events/subscriptions.ts'
import { subscriptions as payments } from '../../services/payments/src/events/subscriptions.ts'
import { subscriptions as tickets } from '../../services/tickets/src/events/subscriptions.ts'
import { stateful } from '../topology.ts'

const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs

/**
 * What each service consumes: the subjects of its subscriptions. A handler factory only closes
 * over its deps, so the keys are read without any. A service missing here reads nothing (and its
 * consumer is refused by the broker: add it when it subscribes to something).
 */
const consumers: Record<string, (deps: never) => Subscriptions> = {
  tickets,
  orders,
  expiration,
  payments,
}

export const consumedSubjects = (service: string): Subject[] =>
  Object.keys(consumers[service]?.({} as never) ?? {}) as Subject[]

/** What one service's Kafka user may do: its ACLs, by resource. */
export type KafkaAccess = {
  user: string
  /** Topics it publishes to: the ones topicOwners gives it. */
  writes: string[]
  /** Topics it consumes, in its consumer groups. */
  reads: string[]
  /** Where its consumers dead-letter: `<topic>.dlq` of each topic it reads. */
  deadLetters: string[]
  groups: string[]
}

/** Every topic twtix uses under a prefix, with its dead-letter topic: what the admin creates. */
export function allTopics(prefix: string): string[] {
  return Object.keys(topicOwners).flatMap((t) => [prefix + t, deadLetterTopic(prefix + t)])
}

/**
 * The access of each service on the bus (every stateful one: auth too), from topicOwners and its
 * subscriptions; topics and the consumer group carry the stack's TOPIC_PREFIX as the services
 * name them (common/src/outbox).
 */
export function kafkaAccess(prefix: string): KafkaAccess[] {
  return stateful.map(({ name }) => {
    const owned = Object.entries(topicOwners).filter(([, owner]) => owner === name)
    const consumed = [...new Set(consumedSubjects(name).map(baseTopicOf))]
    const reads = consumed.map((t: TopicName) => prefix + t)
    return {
      user: name,
      writes: owned.map(([topic]) => prefix + topic),
      reads,
      deadLetters: reads.map(deadLetterTopic),
      groups: reads.length > 0 ? [prefix + name] : [],
    }
  })
}

/**
 * The ACL entries of that access, literal names only. DESCRIBE comes with every topic a service
 * touches (metadata, offsets); an idempotent producer needs no IDEMPOTENT_WRITE on the cluster
 * since Kafka 3.0 (KIP-679: WRITE on a topic suffices); no CREATE: the admin makes the topics.
 */
export function aclEntries(access: KafkaAccess[]): AclEntry[] {
  const { TOPIC, GROUP } = AclResourceTypes
  const { READ, WRITE, DESCRIBE } = AclOperationTypes
  return access.flatMap(({ user, writes, reads, deadLetters, groups }) => {
    const allow = (resourceType: number, resourceName: string, operation: number): AclEntry => ({
      resourceType,
      resourceName,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: `User:${user}`,
      host: '*',
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    })
    return [
      ...writes.flatMap((t) => [allow(TOPIC, t, WRITE), allow(TOPIC, t, DESCRIBE)]),
      // The bus makes sure of a topic together with its dead-letter topic: it must see that one.
      ...writes.map((t) => allow(TOPIC, deadLetterTopic(t), DESCRIBE)),
      ...reads.flatMap((t) => [allow(TOPIC, t, READ), allow(TOPIC, t, DESCRIBE)]),
      ...deadLetters.flatMap((t) => [allow(TOPIC, t, WRITE), allow(TOPIC, t, DESCRIBE)]),
      ...groups.map((g) => allow(GROUP, g, READ)),
    ]
  })
}

const keyOf = (e: AclEntry) =>
  [
    e.resourceType,
    e.resourceName,
    e.resourcePatternType,
    e.principal,
    e.host,
    e.operation,
    e.permissionType,
  ].join(' ')

/**
 * Makes twtix's topics under `prefix` (each with its dead-letter topic) and the services' ACLs on
 * them, as an admin (a super user). Idempotent. A service's ACL on one of these topics or groups
 * that the catalogue no longer gives it (a topic that changed owner) is removed.
 */
export async function setupKafka(options: {
  admin: Admin
  prefix: string
  partitions: number
  replicationFactor?: number
}): Promise<{ topicsCreated: string[]; acls: number; removed: number }> {
  const { admin, prefix } = options
  const existing = new Set(await admin.listTopics())
  const missing = allTopics(prefix).filter((t) => !existing.has(t))
  if (missing.length > 0) {
    await admin.createTopics({
      topics: missing.map((topic) => ({
        topic,
        numPartitions: options.partitions,
        replicationFactor: options.replicationFactor ?? 1,
      })),
      waitForLeaders: true,
    })
  }
  const access = kafkaAccess(prefix)
  const wanted = aclEntries(access)
  await admin.createAcls({ acl: wanted })

  const managed = new Set([...allTopics(prefix), ...access.map((a) => prefix + a.user)])
  const users = new Set(access.map((a) => `User:${a.user}`))
  const wantedKeys = new Set(wanted.map(keyOf))
  // The services' ACLs on these names, as the broker's authorizer has them now.
  const current = async () => {
    const found = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    })
    return found.resources
      .filter((r) => managed.has(r.resourceName))
      .flatMap(({ resourceType, resourceName, resourcePatternType, acls }) =>
        acls.map((acl): AclEntry => ({ resourceType, resourceName, resourcePatternType, ...acl })),
      )
      .filter((e) => users.has(e.principal))
  }
  // The controller commits the ACLs; the broker applies them a moment later. A service started
  // (or a test run) in between would be refused what it is allowed: wait until they are there.
  const deadline = Date.now() + 15_000
  let found = await current()
  while (!wanted.every((e) => found.some((f) => keyOf(f) === keyOf(e)))) {
    if (Date.now() > deadline) throw new Error('the broker does not show the ACLs just created')
    await new Promise((r) => setTimeout(r, 100))
    found = await current()
  }
  const stale = found.filter((e) => !wantedKeys.has(keyOf(e)))
  if (stale.length > 0) await admin.deleteAcls({ filters: stale })
  return { topicsCreated: missing, acls: wanted.length, removed: stale.length }
}

/**
 * Deletes the services' ACLs on the topics and groups under `prefix` (a test's, a bench run's), and
 * waits until the broker's authorizer no longer shows them (it applies the controller's deletion a
 * moment later, as it does a creation).
 */
export async function removeKafkaAccess(admin: Admin, prefix: string): Promise<void> {
  const names = new Set([...allTopics(prefix), ...stateful.map((s) => prefix + s.name)])
  const any = {
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  }
  await admin.deleteAcls({ filters: [...names].map((resourceName) => ({ ...any, resourceName })) })
  const left = async () =>
    (await admin.describeAcls(any)).resources.filter((r) => names.has(r.resourceName))
  const deadline = Date.now() + 15_000
  while ((await left()).length > 0) {
    if (Date.now() > deadline) throw new Error('the broker still shows the ACLs just deleted')
    await new Promise((r) => setTimeout(r, 100))
  }
}
