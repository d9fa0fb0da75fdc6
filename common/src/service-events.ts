import type { Subscription } from './bus/port.ts'
import type { CronJob } from './cron-job.ts'
import { type Subscriptions, startConsumer } from './outbox/consume.ts'
import { createRelay, type Relay } from './outbox/relay.ts'
import type { OutboxTable, ProcessedEventsTable } from './outbox/tables.ts'
import { RETENTION, type Retained, startRetentionJob } from './retention.ts'
import type { ServiceInfra } from './service.ts'
import type { Revocations } from './tokens/revocations.ts'

export type ServiceEvents = {
  /** Woken by commands after they commit; flushed on stop. */
  relay: Relay
  /** `/ready`: the database and the bus both answer. */
  ready: () => Promise<void>
  /**
   * Starts the relay, then consumes the service's subscriptions in its consumer group; and the
   * hourly purge of processed-event records, sent outbox rows and the service's `retained`.
   */
  start: (subscriptions: Subscriptions) => Promise<void>
  /** Stops consuming, then flushes and stops the relay. */
  stop: () => Promise<void>
}

/**
 * The event plumbing every service with an outbox shares: its relay (one active per database),
 * its consumer group named after the service, and the readiness check of both.
 */
export function serviceEvents(
  infra: ServiceInfra<{ TOPIC_PREFIX: string }>,
  options: {
    name: string
    outbox: OutboxTable
    processed: ProcessedEventsTable
    /** The service's other records that expire (idempotency keys, webhook event ids). */
    retained?: Retained[]
    /**
     * A verifying service's revoked sessions (its subscriptions record session.revoked in
     * them): re-read on their timer, purged once their tokens have expired.
     */
    revocations?: Revocations
    /** Its events may wait this long to be consumed together: no one waits on them (SubscribeOptions). */
    gatherMs?: number
  },
): ServiceEvents {
  const { database, bus, logger, clock } = infra
  const db = database.db
  const topicPrefix = infra.config.TOPIC_PREFIX
  const relay = createRelay({
    db,
    outbox: options.outbox,
    bus,
    logger,
    name: `${options.name}.outbox`,
    topicPrefix,
  })
  let subscription: Subscription | undefined
  let retention: CronJob | undefined
  const retained: Retained[] = [
    { table: options.processed, column: options.processed.processedAt, keepMs: RETENTION.events },
    { table: options.outbox, column: options.outbox.sentAt, keepMs: RETENTION.events },
    ...(options.retained ?? []),
    ...(options.revocations ? [options.revocations.retained] : []),
  ]
  const { revocations } = options
  return {
    relay,
    ready: async () => {
      await database.ping()
      await bus.ping()
    },
    start: async (subscriptions) => {
      relay.start()
      // A service that only publishes (auth) has no consumer.
      if (Object.keys(subscriptions).length > 0) {
        subscription = await startConsumer({
          bus,
          db,
          processed: options.processed,
          group: options.name,
          subscriptions,
          relay,
          topicPrefix,
          logger,
          gatherMs: options.gatherMs,
        })
      }
      revocations?.start()
      retention = startRetentionJob({ name: options.name, db, retained, clock, logger })
    },
    stop: async () => {
      revocations?.stop()
      await retention?.stop()
      retention = undefined
      await subscription?.close()
      subscription = undefined
      await relay.stop()
    },
  }
}
