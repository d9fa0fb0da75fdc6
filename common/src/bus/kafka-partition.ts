import type { EachBatchPayload, KafkaMessage } from 'kafkajs'
import type { Logger } from '../logger.ts'
import { type DeliveryContext, deliver, deliverBatch } from './deliver.ts'
import type { OffsetCommits } from './kafka-commits.ts'
import {
  type BatchHandler,
  type BusMessage,
  MAX_BATCH,
  type MessageHandler,
  type RetryPolicy,
} from './port.ts'

export type PartitionRunnerOptions = {
  group: string
  handler: MessageHandler
  batchHandler?: BatchHandler
  policy: RetryPolicy
  logger: Logger
  heartbeatInterval: number
  publishDeadLetter: DeliveryContext['publishDeadLetter']
  /** The subscription's offsets to commit, shared by its batches. */
  commits: OffsetCommits
  /** True once the subscription is closing: stop taking messages, commit what was handled. */
  closing: () => boolean
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

/**
 * kafkajs's `eachBatch` for one subscription: a partition's fetched messages are offered to the
 * batch handler (up to MAX_BATCH at once) when there is one; without one, or when it fails, they
 * are handled one message at a time: the next message is not looked at before the current one is
 * handled or dead-lettered, so a message being retried holds back everything after it in its
 * partition (and with it every later message of its key). An offset is committed only once its
 * message is handled or dead-lettered.
 */
export function partitionRunner(o: PartitionRunnerOptions) {
  const { logger, commits } = o
  return async function eachBatch(payload: EachBatchPayload) {
    const { batch, heartbeat, isRunning, isStale } = payload
    const { topic, partition } = batch
    // Offsets are committed at most every COMMIT_INTERVAL_MS (kafka-commits.ts), not after each
    // message or batch: neither a batch read after a backlog nor a trickle of one-message batches
    // costs a broker round trip per message. Where a batch stops early, what it handled is
    // committed at once.
    const handled = (offset: string) => {
      commits.handled(
        topic,
        partition,
        String(BigInt(offset) + 1n),
        payload.commitOffsetsIfNecessary,
      )
      payload.resolveOffset(offset)
    }
    const commitNow = () => commits.commitNow(topic, partition)
    const messages = batch.messages
    // Messages before this index failed as a batch: they are delivered one at a time.
    let aloneUntil = 0
    let abandoned = false
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as KafkaMessage
      if (o.closing() || !isRunning() || isStale()) break
      let lost: unknown
      const active = () => !o.closing() && lost === undefined && isRunning() && !isStale()
      // Heartbeats keep flowing while the handler runs or waits to retry, however long.
      const beat = setInterval(() => {
        heartbeat().catch((err) => {
          if (lostMembership(err)) lost ??= err
        })
      }, o.heartbeatInterval)
      const waiting = messages.slice(i, i + MAX_BATCH)
      if (o.batchHandler && waiting.length > 1 && i >= aloneUntil) {
        const run = waiting.map((w) => toBusMessage(topic, partition, w))
        const done = await deliverBatch(run, o.batchHandler, { group: o.group, logger, active })
        if (!done) {
          aloneUntil = i + waiting.length
        } else {
          clearInterval(beat)
          handled((waiting[waiting.length - 1] as KafkaMessage).offset)
          i += waiting.length - 1
          if (o.closing()) break
          if (lost !== undefined) {
            await commitNow().catch(() => {})
            throw lost
          }
          await commits.commitSoon(topic, partition)
          await heartbeat()
          continue
        }
      }
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
        await commitNow().catch(() => {})
        throw err
      } finally {
        clearInterval(beat)
      }
      // Closing: what was not committed is delivered again to the next member.
      if (o.closing()) break
      if (outcome !== 'abandoned') handled(m.offset)
      // kafkajs re-joins the group and fetches again from the committed offsets.
      if (lost !== undefined) {
        await commitNow().catch(() => {})
        throw lost
      }
      if (outcome === 'abandoned') {
        abandoned = true
        break
      }
      await commits.commitSoon(topic, partition)
      await heartbeat()
    }
    // A seek moved this partition's position: what is pending must not be committed over it.
    if (isStale()) commits.drop(topic, partition)
    // Left early (closing, the consumer stopping, a message abandoned): acknowledge what was
    // handled now, not after the interval.
    else if (abandoned || o.closing() || !isRunning()) await commitNow()
  }
}
