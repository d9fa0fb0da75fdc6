import kafkajs, { type Admin, type RetryOptions, type SASLOptions } from 'kafkajs'
import type { Logger, LogLevel } from '../logger.ts'
import { deadLetterHeaders } from './deliver.ts'
import { startKafkaSubscription } from './kafka-consumer.ts'
import { kafkaLogCreator, kafkaLogLevel } from './kafka-log.ts'
import { createKafkaPublisher } from './kafka-producer.ts'
import { createTopicKeeper } from './kafka-topics.ts'
import { stopIdleRequestQueueLoop } from './kafkajs-request-queue.ts'
import { defaultRetryPolicy, type EventBus, type RetryPolicy, type Subscription } from './port.ts'

const { Kafka } = kafkajs

// Before any client connects: kafkajs 2.2.4 spins a timer per broker connection otherwise.
stopIdleRequestQueueLoop()

export type KafkaBusOptions = {
  brokers: string[]
  clientId: string
  /** SASL/SCRAM as the service's own user (`kafkaSasl`); none on a PLAINTEXT listener. */
  sasl?: SASLOptions
  /** Partitions of the topics (and dead-letter topics) the bus creates. Default 3. */
  partitions?: number
  /** Replication factor of the topics the bus creates. Default 1 (a single-node broker). */
  replicationFactor?: number
  policy?: RetryPolicy
  logger: Logger
  /** From which level kafkajs's own lines reach the logger. Default 'warn'. */
  logLevel?: LogLevel
  /**
   * A member that sends no heartbeat for this long loses its partitions to the others; also how
   * long a group waits for a member that vanished (a killed process). Default 10 s.
   */
  sessionTimeout?: number
  /** Default 1 s: a rebalance is noticed within about a second. */
  heartbeatInterval?: number
  /** Longest wait of a fetch for new messages; it also bounds how long closing waits. 500 ms. */
  maxWaitTimeInMs?: number
  /** A new consumer group starts at the oldest message kept. Default true. */
  fromBeginning?: boolean
  /** Partitions of one subscription handled concurrently. Default `partitions`. */
  concurrency?: number
  /** How long `subscribe` waits to join the group. Default 60 s. */
  joinTimeoutMs?: number
  /** How long `ping` waits for the broker. Default 3 s. */
  pingTimeoutMs?: number
  /** kafkajs's retries of one request or operation. */
  retry?: RetryOptions
}

// kafkajs's production defaults, stated so that NODE_ENV=test (kafkajs then retries for about a
// second only) does not change how the adapter behaves under test.
const defaultRetry: RetryOptions = {
  initialRetryTime: 300,
  maxRetryTime: 30_000,
  factor: 0.2,
  multiplier: 2,
  retries: 5,
}

// A consumer that gives up on the broker is restarted as a new group member, and the group then
// waits for the old member's session to expire before it can rebalance. So consumers retry
// longer (about a minute) and more often (every 5 s at most) than one request does: a broker
// restart does not make them give up, and they are back within seconds of the broker.
const consumerRetry: RetryOptions = { ...defaultRetry, maxRetryTime: 5000, retries: 15 }

/** What a gathering subscription's fetch asks for before its wait is over (SubscribeOptions). */
const GATHER_BYTES = 1024 * 1024

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * The Kafka adapter of the bus port (kafkajs): an idempotent producer, one consumer per
 * subscription with manual commits after `deliver`, topics created with their `.dlq`. Nothing
 * connects before it is used.
 */
export async function createKafkaBus(options: KafkaBusOptions): Promise<EventBus> {
  const logger = options.logger
  const partitions = options.partitions ?? 3
  const policy = options.policy ?? defaultRetryPolicy
  const retry = { ...defaultRetry, ...options.retry }
  const pingTimeoutMs = options.pingTimeoutMs ?? 3000
  const client = (retry: RetryOptions) =>
    new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      sasl: options.sasl,
      logLevel: kafkaLogLevel(options.logLevel ?? 'warn'),
      logCreator: kafkaLogCreator(logger),
      retry,
    })
  const kafka = client(retry)
  // kafkajs applies the client's retry to every connection a consumer makes.
  const consumerKafka = client(consumerRetry)
  let admin: Promise<Admin> | undefined
  const connectedAdmin = () => {
    admin ??= (async () => {
      const a = kafka.admin({ retry })
      await a.connect()
      return a
    })().catch((err) => {
      admin = undefined
      throw err
    })
    return admin
  }
  const ensureTopics = createTopicKeeper({
    admin: connectedAdmin,
    partitions,
    replicationFactor: options.replicationFactor ?? 1,
    logger,
  })
  const publisher = createKafkaPublisher(kafka, (topic) => ensureTopics([topic]))
  const subscriptions = new Set<Subscription>()
  let closed = false

  const bus: EventBus = {
    publish(topic, messages) {
      return publisher.publish(topic, messages)
    },
    async subscribe({ group, topics, handler, batchHandler, gatherMs }) {
      if (closed) throw new Error('bus is closed')
      // A consumer may start before the service that publishes to its topics.
      await ensureTopics(topics)
      const subscription = startKafkaSubscription({
        kafka: consumerKafka,
        group,
        topics,
        handler,
        batchHandler,
        policy,
        logger,
        publishDeadLetter: (dlq, m, error) =>
          publisher.publish(dlq, [
            { key: m.key, value: m.value, headers: deadLetterHeaders(m, group, error) },
          ]),
        settings: {
          config: {
            sessionTimeout: options.sessionTimeout ?? 10_000,
            heartbeatInterval: options.heartbeatInterval ?? 1000,
            // A gathering group's fetch waits for far more than a trickle brings, so the broker
            // answers when the wait is over, with everything published meanwhile.
            maxWaitTimeInMs: gatherMs || (options.maxWaitTimeInMs ?? 500),
            ...(gatherMs ? { minBytes: GATHER_BYTES } : {}),
            allowAutoTopicCreation: false,
            retry: consumerRetry,
          },
          concurrency: options.concurrency ?? partitions,
          fromBeginning: options.fromBeginning ?? true,
          joinTimeoutMs: options.joinTimeoutMs ?? 60_000,
        },
      })
      const handle: Subscription = {
        async close() {
          subscriptions.delete(handle)
          await subscription.close()
        },
      }
      subscriptions.add(handle)
      try {
        // Once joined, the group has a place to start from: a publish right after reaches it.
        await subscription.joined
      } catch (err) {
        await handle.close()
        throw err
      }
      return handle
    },
    ensureTopics,
    async ping() {
      if (closed) throw new Error('bus is closed')
      const describe = connectedAdmin().then((a) => a.describeCluster())
      await withTimeout(describe, pingTimeoutMs, `Kafka did not answer within ${pingTimeoutMs} ms`)
    },
    async close() {
      if (closed) return
      closed = true
      await Promise.all([...subscriptions].map((s) => s.close()))
      await publisher.close()
      const a = await admin?.catch(() => undefined)
      await a?.disconnect()
    },
  }
  return bus
}
