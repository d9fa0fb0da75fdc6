import type { Db } from '../db/types.ts'
import { enqueuedIn } from './enqueue.ts'

/** What a command needs to write: the database and the relay to wake after commit. */
export type WriteDeps = { db: Db; relay?: { wake(): void } }

/** Runs `fn` in one transaction and, when it enqueued events, wakes the relay once committed. */
export async function transact<T>(deps: WriteDeps, fn: (tx: Db) => Promise<T>): Promise<T> {
  let enqueued = false
  const result = await deps.db.transaction(async (tx) => {
    const value = await fn(tx)
    enqueued = enqueuedIn(tx)
    return value
  })
  if (enqueued) deps.relay?.wake()
  return result
}
