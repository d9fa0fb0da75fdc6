import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs'
import type { Logger } from '../logger.ts'
import type { DeliveryContext } from './deliver.ts'
import { offsetCommits } from './kafka-commits.ts'
import { partitionRunner } from './kafka-partition.ts'
import type { BatchHandler, MessageHandler, RetryPolicy, Subscription } from './port.ts'

export type ConsumerSettings = {
  /** kafkajs consumer options (sessionTimeout, heartbeatInterval, maxWaitTimeInMs, retry...). */
  config: Omit<ConsumerConfig, 'groupId'> & { heartbeatInterval: number }
  /** Partitions of one subscription handled at the same time (each one in order). */
  concurrency: number
  /** Where a new group starts: the oldest message kept (true) or the next one published. */
  fromBeginning: boolean
  /** How long `subscribe` waits for the consumer to join its group before giving up. */
  joinTimeoutMs: number
}

export type KafkaSubscriptionOptions = {
  kafka: Kafka
  group: string
  topics: string[]
  handler: MessageHandler
  batchHandler?: BatchHandler
  policy: RetryPolicy
  logger: Logger
  settings: ConsumerSettings
  publishDeadLetter: DeliveryContext['publishDeadLetter']
}

export type KafkaSubscription = Subscription & {
  /** Resolves once the consumer has joined its group; rejects if it did not in time or closed. */
  joined: Promise<void>
}

// What kafkajs names the errors that mean the broker could not be reached. It gives up on a
// consumer for good, where it should have retried, when the broker is away while the consumer
// looks for its group's coordinator (kafkajs issue 1630).
const brokerAway = new Set([
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
])

/** Replacements in a row, without a join between them, logged as an outage rather than an error. */
export const outageReplacements = 3

/** Whether kafkajs gave up on a consumer because the broker was away (the error or a cause). */
export function lostTheBroker(error: unknown): boolean {
  let e = error
  for (let depth = 0; e instanceof Error && depth < 10; depth++, e = e.cause)
    if (brokerAway.has(e.name)) return true
  return false
}

/**
 * One kafkajs consumer in group `group`, for as long as the subscription is open: it joins,
 * is replaced (backing off) when kafkajs gives up on it, and leaves on close. Its partitions are
 * handled by the partition runner (kafka-partition.ts).
 */
export function startKafkaSubscription(o: KafkaSubscriptionOptions): KafkaSubscription {
  const { settings } = o
  const logger = o.logger.child({ group: o.group })
  let consumer: Consumer | undefined
  let closing = false
  let restartTimer: ReturnType<typeof setTimeout> | undefined
  let crashes = 0
  let settle: (err?: Error) => void = () => {}
  const joined = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve())
  })

  const commits = offsetCommits({ logger })
  const eachBatch = partitionRunner({
    group: o.group,
    handler: o.handler,
    batchHandler: o.batchHandler,
    policy: o.policy,
    logger,
    heartbeatInterval: settings.config.heartbeatInterval,
    publishDeadLetter: o.publishDeadLetter,
    commits,
    closing: () => closing,
  })

  async function start() {
    const c = o.kafka.consumer({ ...settings.config, groupId: o.group })
    consumer = c
    // kafkajs may restart a crashed consumer after `disconnect` returned; stop it again.
    const stopIfClosing = () => {
      if (closing) setTimeout(() => void c.disconnect().catch(() => {}), 0)
      return closing
    }
    c.on(c.events.GROUP_JOIN, ({ payload }) => {
      if (stopIfClosing()) return
      crashes = 0
      // A new generation: offsets still pending from the last one are not this member's to send.
      commits.dropAll()
      logger.debug('kafka consumer joined', { assignment: payload.memberAssignment })
      settle()
    })
    c.on(c.events.CRASH, ({ payload }) => {
      if (stopIfClosing()) return
      if (payload.restart) {
        logger.warn('kafka consumer crashed; kafkajs restarts it', { error: payload.error })
        return
      }
      restart(c, payload.error)
    })
    await c.connect()
    await c.subscribe({ topics: o.topics, fromBeginning: settings.fromBeginning })
    if (closing) return
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: settings.concurrency,
      eachBatch,
    })
  }

  // kafkajs gave up on this consumer: replace it by a new one, backing off while it keeps failing.
  function restart(failed: Consumer, error: unknown) {
    if (closing || consumer !== failed || restartTimer) return
    const replaced = crashes++
    const wait = Math.min(1000 * 2 ** replaced, 30_000)
    // Replacing a consumer a few times while the broker is away is how an outage is ridden out;
    // still failing after that, or failing for another reason, needs someone to look.
    if (lostTheBroker(error) && replaced < outageReplacements)
      logger.warn('kafka consumer lost the broker; starting a new one', { error, wait })
    else logger.error('kafka consumer stopped; starting a new one', { error, wait })
    restartTimer = setTimeout(() => {
      restartTimer = undefined
      void failed.disconnect().catch(() => {})
      if (!closing) begin()
    }, wait)
  }

  const joinTimer = setTimeout(() => {
    settle(
      new Error(`kafka consumer of group ${o.group} did not join in ${settings.joinTimeoutMs} ms`),
    )
    void close().catch(() => {})
  }, settings.joinTimeoutMs)
  void joined.then(
    () => clearTimeout(joinTimer),
    () => {},
  )

  async function close() {
    closing = true
    clearTimeout(restartTimer)
    clearTimeout(joinTimer)
    settle(new Error(`kafka consumer of group ${o.group} closed before it joined`))
    await starting
    // What was handled is committed before leaving, so the next member does not see it again.
    await commits.flush()
    await consumer?.disconnect()
  }

  let starting: Promise<void> | undefined
  function begin() {
    starting = start().catch((err) => {
      if (consumer) restart(consumer, err)
    })
  }

  begin()
  return { joined, close }
}
