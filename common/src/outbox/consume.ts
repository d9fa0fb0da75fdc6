import type { BusMessage, EventBus, Subscription } from '../bus/port.ts'
import type { Db } from '../db/types.ts'
import { baseTopicOf, type Subject } from '../events/catalogue.ts'
import { type Envelope, PoisonMessageError, parseEnvelopeFor } from '../events/envelope.ts'
import type { Logger } from '../logger.ts'
import { isAtOnce } from './at-once.ts'
import { once, onceEach } from './once.ts'
import type { ProcessedEventsTable } from './tables.ts'
import { inTransaction, type Tx } from './transaction.ts'

/**
 * A handler applies one event inside the transaction that also records it as processed; the
 * consumer opened it and wakes the relay after it commits if the handler enqueued events.
 */
export type EventHandler<S extends Subject> = (tx: Tx, event: Envelope<S>) => Promise<void>

export type Subscriptions = { [S in Subject]?: EventHandler<S> }

/** Thrown by a handler that must see an earlier event first (a version gap): retried later. */
export class RetryLaterError extends Error {}

export type ConsumerOptions = {
  bus: EventBus
  db: Db
  processed: ProcessedEventsTable
  /** The consumer group, usually the service name. */
  group: string
  subscriptions: Subscriptions
  relay?: { wake(): void }
  topicPrefix?: string
  logger: Logger
  /** The group's messages may wait this long to be taken together (SubscribeOptions). */
  gatherMs?: number
}

/**
 * Subscribes a service's handlers: each message is parsed and validated (a bad one, or one whose
 * source or topic is not its subject's owner, is poison and goes to the dead-letter topic), then applied at most once in one transaction with its
 * processed-event record. Messages the bus hands over together share one transaction (their
 * records in one statement) unless one of them fails. A message alone whose handler is made with
 * `atOnce` is applied by one statement with its record, without a transaction. Events of subjects
 * the service does not handle are skipped.
 */
export async function startConsumer(options: ConsumerOptions): Promise<Subscription> {
  const { bus, db, processed, group, subscriptions, logger } = options
  const prefix = options.topicPrefix ?? ''
  const subjects = Object.keys(subscriptions) as Subject[]
  const topics = [...new Set(subjects.map((s) => prefix + baseTopicOf(s)))]
  await bus.ensureTopics(topics)
  const handles = (subject: Subject) => Object.hasOwn(subscriptions, subject)
  // Undefined for a subject this service does not handle: skipped, its data not validated
  // (another group that handles it dead-letters it if it is bad, once).
  const parse = (message: BusMessage) => {
    const event = parseEnvelopeFor(message.value, handles)
    if (!event) return undefined
    // A topic carries its owner's subjects only: an order event on the tickets topic is forged.
    if (message.topic !== prefix + baseTopicOf(event.type)) {
      throw new PoisonMessageError(`${event.type} does not belong on ${message.topic}`)
    }
    return event
  }
  const handlerOf = (event: Envelope<Subject>) =>
    subscriptions[event.type] as EventHandler<Subject> | undefined
  const skipped = (event: Envelope<Subject>) =>
    logger.debug('duplicate event skipped', { group, eventId: event.id, type: event.type })
  return bus.subscribe({
    // The prefix names the bus's consumer group too, so stacks sharing a broker stay apart;
    // processed events keep the plain group name.
    group: prefix + group,
    topics,
    gatherMs: options.gatherMs,
    handler: async (message) => {
      const event = parse(message)
      const handle = event && handlerOf(event)
      if (!event || !handle) return
      const outcome = isAtOnce(handle)
        ? await handle.atOnce(db, processed, group, event)
        : 'transaction'
      const applied =
        outcome === 'transaction'
          ? await inTransaction({ db, relay: options.relay }, async (tx) => {
              if (!(await once(tx.db, processed, group, event.id))) return false
              await handle(tx, event)
              return true
            })
          : outcome === 'applied'
      if (!applied) skipped(event)
    },
    // Messages waiting together: one transaction, their processed-event rows in one statement.
    // Any failure (a poison message, a handler that throws, a version gap) rolls all of it back
    // and the bus delivers them one at a time through `handler` above.
    batchHandler: async (messages) => {
      const events: Envelope<Subject>[] = []
      const ids = new Set<string>()
      for (const message of messages) {
        const event = parse(message)
        if (!event || !handlerOf(event)) continue
        if (ids.has(event.id)) skipped(event)
        else {
          ids.add(event.id)
          events.push(event)
        }
      }
      if (events.length === 0) return
      await inTransaction({ db, relay: options.relay }, async (tx) => {
        const fresh = await onceEach(tx.db, processed, group, [...ids])
        for (const event of events) {
          if (fresh.has(event.id)) await (handlerOf(event) as EventHandler<Subject>)(tx, event)
          else skipped(event)
        }
      })
    },
  })
}
