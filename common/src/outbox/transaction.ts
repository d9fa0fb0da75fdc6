import type { Db } from '../db/types.ts'

/**
 * An open transaction, handed to commands by whoever opened it: a route through
 * `inTransaction`, the consumer for an event, the expiration sweeper. `enqueue` marks it; the
 * opener wakes the relay once the transaction has committed, and only then (a relay woken before
 * the commit reads on another connection and finds nothing).
 */
export type Tx = {
  /** Reads and writes of this transaction. */
  readonly db: Db
  /** Whether an event was enqueued: only then is the relay worth waking. */
  enqueued: boolean
}

/** What opening a transaction needs: the database and the relay to wake after it commits. */
export type TransactionDeps = { db: Db; relay?: { wake(): void } }

/** Runs `fn` in one transaction; once it has committed, wakes the relay if `fn` enqueued events. */
export async function inTransaction<T>(
  deps: TransactionDeps,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  let opened: Tx | undefined
  const result = await deps.db.transaction((db) => {
    opened = { db, enqueued: false }
    return fn(opened)
  })
  if (opened?.enqueued) deps.relay?.wake()
  return result
}
