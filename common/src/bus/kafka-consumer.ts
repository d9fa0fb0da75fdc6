import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs'
import type { Logger } from '../logger.ts'
import { type DeliveryContext, deliver } from './deliver.ts'
import type { BusMessage, MessageHandler, RetryPolicy, Subscription } from './port.ts'

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
  policy: RetryPolicy
  logger: Logger
  settings: ConsumerSettings
  publishDeadLetter: DeliveryContext['publishDeadLetter']
}

type Header = Buffer | string | (Buffer | string)[] | undefined
const decoder = new TextDecoder()
const text = (v: Header | null): string => {
  if (v == null) return ''
  if (Array.isArray(v)) return text(v[v.length - 1])
  return typeof v === 'string' ? v : decoder.decode(v)
}

function toBusMessage(topic: string, partition: number, m: KafkaMessage): BusMessage {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(m.headers ?? {})) headers[name] = text(value)
  return { topic, partition, offset: m.offset, key: text(m.key), value: text(m.value), headers }
}

// Answers to a heartbeat after which this member may no longer own its partitions: kafkajs
// re-joins the group when eachBatch throws one of them.
const lostMembership = (err: unknown) =>
  [
    'REBALANCE_IN_PROGRESS',
    'ILLEGAL_GENERATION',
    'UNKNOWN_MEMBER_ID',
    'NOT_COORDINATOR_FOR_GROUP',
  ].includes((err as { type?: string }).type ?? '')

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Longest a handled message waits for its offset to be committed within a batch. */
const COMMIT_INTERVAL_MS = 100

export type KafkaSubscription = Subscription & {
  /** Resolves once the consumer has joined its group; rejects if it did not in time or closed. */
  joined: Promise<void>
}

/**
 * One kafkajs consumer in group `group`. Each partition is handled one message at a time: the
 * next message is not looked at before the current one is handled or dead-lettered, so a message
 * being retried holds back everything after it in its partition (and with it every later message
 * of its key). An offset is committed only once its message is handled or dead-lettered.
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

  async function eachBatch(payload: EachBatchPayload) {
    const { batch, heartbeat, isRunning, isStale } = payload
    const { topic, partition } = batch
    // The offset after the last message handled and not yet committed. Offsets are committed at
    // the end of a batch and at least every COMMIT_INTERVAL_MS within one, not after each message:
    // a batch read after a backlog is not held back by a broker round trip per message, and a
    // message handled but not yet committed when a member goes away is delivered again, which
    // the handlers' processed-event records make harmless.
    let handled: string | undefined
    let lastCommit = Date.now()
    const commitHandled = async () => {
      if (handled === undefined) return
      const offset = handled
      handled = undefined
      lastCommit = Date.now()
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset }] }],
      })
    }
    const messages = batch.messages
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as KafkaMessage
      if (closing || !isRunning() || isStale()) break
      let lost: unknown
      const active = () => !closing && lost === undefined && isRunning() && !isStale()
      // Heartbeats keep flowing while the handler runs or waits to retry, however long.
      const beat = setInterval(() => {
        heartbeat().catch((err) => {
          if (lostMembership(err)) lost ??= err
        })
      }, settings.config.heartbeatInterval)
      let outcome: Awaited<ReturnType<typeof deliver>>
      try {
        outcome = await deliver(toBusMessage(topic, partition, m), o.handler, {
          group: o.group,
          policy: o.policy,
          logger,
          active,
          publishDeadLetter: o.publishDeadLetter,
          sleep: async (ms) => {
            const until = Date.now() + ms
            while (active() && Date.now() < until) await delay(Math.min(100, until - Date.now()))
          },
        })
      } catch (err) {
        // Only publishing the dead letter throws; the message stays unacknowledged.
        logger.error('dead letter not published; the message will be delivered again', {
          topic,
          partition,
          offset: m.offset,
          error: err,
        })
        await commitHandled().catch(() => {})
        throw err
      } finally {
        clearInterval(beat)
      }
      // Closing: what was not committed is delivered again to the next member.
      if (closing) break
      if (outcome !== 'abandoned') {
        handled = String(BigInt(m.offset) + 1n)
        payload.resolveOffset(m.offset)
      }
      // kafkajs re-joins the group and fetches again from the committed offsets.
      if (lost !== undefined) {
        await commitHandled().catch(() => {})
        throw lost
      }
      if (outcome === 'abandoned') break
      if (i === messages.length - 1 || Date.now() - lastCommit >= COMMIT_INTERVAL_MS) {
        await commitHandled()
      }
      await heartbeat()
    }
    // Left early (closing, a rebalance, a message abandoned): acknowledge what was handled.
    if (!isStale()) await commitHandled()
  }

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
    const wait = Math.min(1000 * 2 ** crashes++, 30_000)
    logger.error('kafka consumer stopped; starting a new one', { error, wait })
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
