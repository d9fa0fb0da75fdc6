import type { Db } from '../db/types.ts'

/** What a command needs to write: the database and the relay to wake after commit. */
export type WriteDeps = { db: Db; relay?: { wake(): void } }

/** Runs `fn` in one transaction and wakes the outbox relay once it has committed. */
export async function transact<T>(deps: WriteDeps, fn: (tx: Db) => Promise<T>): Promise<T> {
  const result = await deps.db.transaction(fn)
  deps.relay?.wake()
  return result
}
