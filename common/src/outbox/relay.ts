import { sql } from 'drizzle-orm'
import type { EventBus, OutgoingMessage } from '../bus/port.ts'
import { statement } from '../db/statement.ts'
import { type Db, rowsOf } from '../db/types.ts'
import type { Logger } from '../logger.ts'
import type { OutboxTable } from './tables.ts'

export type Relay = {
  /** Starts the polling fallback (crash recovery and missed wake-ups). */
  start(): void
  /** Publishes now; called right after a transaction that enqueued events has committed. */
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

const BUSY_RETRY_MS = 20

/**
 * Publishes outbox rows in id order and marks them sent in the same transaction. A crash after
 * publishing and before commit re-publishes those rows; consumers drop the duplicates by event id.
 */
export function createRelay(options: RelayOptions): Relay {
  const { db, outbox, bus, logger, name } = options
  const prefix = options.topicPrefix ?? ''
  const batchSize = options.batchSize ?? 200
  // Both statements are built once: the relay runs them for every event the service writes.
  const anyUnsent = statement(
    sql`select ${outbox.id} from ${outbox} where ${outbox.sentAt} is null limit 1`,
  )
  // The lock, the batch and marking it sent in one round trip: no rows at all when another
  // relay has the lock.
  const lockAndMark = statement(sql`
    with lock as materialized (select pg_try_advisory_xact_lock(hashtext(${name})) as locked),
    sent as (
      update ${outbox} set sent_at = now()
      where ${outbox.id} in (
        select ${outbox.id} from ${outbox}, lock
        where lock.locked and ${outbox.sentAt} is null order by ${outbox.id}
        limit ${batchSize}
      )
      -- Checked again on the row as it is now: the subquery reads the statement's snapshot,
      -- which may predate the commit of the relay that held the lock just before (the lock
      -- is taken after the snapshot), and would otherwise send its rows a second time.
      and ${outbox.sentAt} is null
      returning ${outbox.id}, ${outbox.eventId}, ${outbox.type}, ${outbox.topic}, ${outbox.key},
        ${outbox.payload}
    )
    select lock.locked, sent.* from lock left join sent on true`)
  let timer: ReturnType<typeof setInterval> | undefined
  let running: Promise<void> | undefined
  let again = false
  /** A wake came during the pass: something is known to be unsent. */
  let againKnown = false
  let stopped = false

  /** Rows published, or 'busy' when another relay of this outbox holds the lock. */
  async function publishBatch(known: boolean): Promise<number | 'busy'> {
    // Most polls find nothing: one indexed read then, instead of a transaction, a lock and the
    // same read. A wake after a transaction that enqueued knows better and skips it.
    if (!known && rowsOf(await anyUnsent(db, {})).length === 0) return 0
    return db.transaction(async (tx) => {
      // The marks commit only if every publish below succeeded; a throw rolls them back and the
      // rows stay unsent.
      const result = await lockAndMark(tx, {})
      const rows = rowsOf<{
        locked: boolean
        id: number | string | null
        event_id: string
        type: string
        topic: string
        key: string
        payload: string
      }>(result)
      if (!rows[0]?.locked) return 'busy'
      // An update returns its rows in no particular order: publish them in id order.
      const batch = rows.filter((r) => r.id !== null).sort((a, b) => Number(a.id) - Number(b.id))
      if (batch.length === 0) return 0
      // Consecutive rows of one topic go out as one ordered batch.
      let i = 0
      while (i < batch.length) {
        const topic = batch[i]?.topic as string
        const messages: OutgoingMessage[] = []
        for (; i < batch.length && batch[i]?.topic === topic; i++) {
          const row = batch[i] as (typeof batch)[number]
          messages.push({
            key: row.key,
            value: row.payload,
            headers: { 'event-id': row.event_id, 'event-type': row.type },
          })
        }
        await bus.publish(prefix + topic, messages)
      }
      return batch.length
    })
  }

  /** Publishes until a batch comes back short; 'busy' when another relay is at it. */
  async function drain(known: boolean): Promise<number | 'busy'> {
    let total = 0
    for (let first = true; ; first = false) {
      const sent = await publishBatch(known && first)
      if (sent === 'busy') return total > 0 ? total : 'busy'
      total += sent
      if (sent < batchSize) return total
    }
  }

  async function flush(): Promise<number> {
    const sent = await drain(false)
    return sent === 'busy' ? 0 : sent
  }

  // Another replica's relay holds the lock: its pass may have read the outbox before this
  // replica's commit, so this relay looks again shortly rather than at the next poll; twice as
  // late each time it is still busy (a pass stuck on an unreachable broker), up to the poll.
  let retry: ReturnType<typeof setTimeout> | undefined
  let busyInARow = 0
  const retrySoon = () => {
    if (retry) return
    const delay = Math.min(BUSY_RETRY_MS * 2 ** busyInARow++, options.pollMs ?? 1000)
    retry = setTimeout(() => {
      retry = undefined
      run(true)
    }, delay)
  }

  function run(known = false) {
    if (running) {
      again = true
      againKnown ||= known
      return
    }
    running = (async () => {
      let fresh = known
      do {
        again = false
        againKnown = false
        try {
          if ((await drain(fresh)) !== 'busy') busyInARow = 0
          else if (!stopped) retrySoon()
        } catch (err) {
          logger.warn('outbox relay pass failed; will retry', { relay: name, error: err })
        }
        fresh = againKnown
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
      if (!stopped) run(true)
    },
    flush,
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      timer = undefined
      if (retry) clearTimeout(retry)
      retry = undefined
      await running
      await flush().catch((err) =>
        logger.warn('final relay flush failed', { relay: name, error: err }),
      )
    },
  }
}
