import { inArray, isNull, sql } from 'drizzle-orm'
import type { EventBus, OutgoingMessage } from '../bus/port.ts'
import { type Db, rowsOf } from '../db/types.ts'
import type { Logger } from '../logger.ts'
import type { OutboxTable } from './tables.ts'

export type Relay = {
  /** Starts the polling fallback (crash recovery and missed wake-ups). */
  start(): void
  /** Publishes soon; called right after a transaction that enqueued events commits. */
  wake(): void
  /** Publishes everything unsent now; resolves with how many rows were sent. */
  flush(): Promise<number>
  /** Stops polling, waits for the running pass and flushes once more. */
  stop(): Promise<void>
}

export type RelayOptions = {
  db: Db
  outbox: OutboxTable
  bus: EventBus
  logger: Logger
  /** Names the advisory lock: one active relay per outbox, however many replicas run. */
  name: string
  topicPrefix?: string
  pollMs?: number
  batchSize?: number
}

/**
 * Publishes outbox rows in id order and marks them sent in the same transaction. A crash after
 * publishing and before commit re-publishes those rows; consumers drop the duplicates by event id.
 */
export function createRelay(options: RelayOptions): Relay {
  const { db, outbox, bus, logger, name } = options
  const prefix = options.topicPrefix ?? ''
  const batchSize = options.batchSize ?? 200
  let timer: ReturnType<typeof setInterval> | undefined
  let running: Promise<void> | undefined
  let again = false
  let stopped = false

  async function publishBatch(): Promise<number> {
    // Most passes find nothing (the poll, or a wake after a consumer's transaction that wrote no
    // event): one indexed read then, instead of a transaction, a lock and the same read.
    const [unsent] = await db
      .select({ id: outbox.id })
      .from(outbox)
      .where(isNull(outbox.sentAt))
      .limit(1)
    if (!unsent) return 0
    return db.transaction(async (tx) => {
      const lock = rowsOf<{ locked: boolean }>(
        await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${name})) as locked`),
      )
      if (!lock[0]?.locked) return 0
      const rows = await tx
        .select()
        .from(outbox)
        .where(isNull(outbox.sentAt))
        .orderBy(outbox.id)
        .limit(batchSize)
      if (rows.length === 0) return 0
      // Consecutive rows of one topic go out as one ordered batch.
      let i = 0
      while (i < rows.length) {
        const topic = rows[i]?.topic as string
        const messages: OutgoingMessage[] = []
        for (; i < rows.length && rows[i]?.topic === topic; i++) {
          const row = rows[i] as (typeof rows)[number]
          messages.push({
            key: row.key,
            value: row.payload,
            headers: { 'event-id': row.eventId, 'event-type': row.type },
          })
        }
        await bus.publish(prefix + topic, messages)
      }
      const ids = rows.map((r) => r.id)
      await tx.update(outbox).set({ sentAt: new Date() }).where(inArray(outbox.id, ids))
      return rows.length
    })
  }

  async function flush(): Promise<number> {
    let total = 0
    for (;;) {
      const sent = await publishBatch()
      total += sent
      if (sent < batchSize) return total
    }
  }

  function run() {
    if (running) {
      again = true
      return
    }
    running = (async () => {
      do {
        again = false
        try {
          await flush()
        } catch (err) {
          logger.warn('outbox relay pass failed; will retry', { relay: name, error: err })
        }
      } while (again && !stopped)
    })().finally(() => {
      running = undefined
    })
  }

  return {
    start() {
      stopped = false
      timer ??= setInterval(run, options.pollMs ?? 1000)
      run()
    },
    wake() {
      if (!stopped) run()
    },
    flush,
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      timer = undefined
      await running
      await flush().catch((err) =>
        logger.warn('final relay flush failed', { relay: name, error: err }),
      )
    },
  }
}
