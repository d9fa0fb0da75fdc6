/** A message as the bus carries it: the value is an envelope serialised as JSON. */
export type OutgoingMessage = { key: string; value: string; headers?: Record<string, string> }

export type BusMessage = OutgoingMessage & {
  topic: string
  headers: Record<string, string>
  partition: number
  offset: string
}

export type MessageHandler = (message: BusMessage) => Promise<void>

/**
 * Handles consecutive messages of one partition together, all or nothing (one database
 * transaction): resolving means every one of them is handled. If it throws, the adapter hands
 * the same messages to the `MessageHandler` one at a time, with its retries and dead letters.
 */
export type BatchHandler = (messages: BusMessage[]) => Promise<void>

export type SubscribeOptions = {
  /** The consumer group: each group sees every message; members of a group share them. */
  group: string
  topics: string[]
  handler: MessageHandler
  /** Optional: messages that are waiting together are offered to it first (see BatchHandler). */
  batchHandler?: BatchHandler
  /**
   * For a group nobody waits on: its messages may wait up to this long to be taken together, in
   * one batch, rather than each as soon as it is published (absent or 0: each at once). An
   * adapter may deliver sooner (the in-process bus does, at once); the Kafka adapter's fetch
   * waits this long for more.
   */
  gatherMs?: number
}

/** Most messages offered to a batch handler at once. */
export const MAX_BATCH = 100

export type Subscription = { close(): Promise<void> }

/**
 * The event bus port. Adapters promise: per-key order within a topic, at-least-once delivery
 * per group, retry with backoff, and dead-lettering to `<topic>.dlq` after the last attempt or at
 * once for a `PoisonMessageError`; the offset moves only after the handler returned.
 */
export interface EventBus {
  /** Resolves once the messages are durably accepted, in the given order. */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>
  subscribe(options: SubscribeOptions): Promise<Subscription>
  /** Creates topics (and their dead-letter topics) that do not exist yet. */
  ensureTopics(topics: string[]): Promise<void>
  /** Throws when the bus cannot be reached (for `/ready`). */
  ping(): Promise<void>
  close(): Promise<void>
}

export type RetryPolicy = {
  /** Attempts before a message is dead-lettered (the first delivery counts). */
  maxAttempts: number
  /** Wait before attempt n+1 after attempt n failed. */
  backoffMs: (attempt: number) => number
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  backoffMs: (attempt) => Math.min(100 * 2 ** (attempt - 1), 10_000),
}

export const deadLetterTopic = (topic: string) => `${topic}.dlq`
