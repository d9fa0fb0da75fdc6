import type { Db } from '../db/types.ts'

/** How many transactions `work` opens on `db` (directly on it, not nested in one of its own). */
export async function countTransactions(db: Db, work: () => Promise<void>): Promise<number> {
  const transaction = db.transaction.bind(db)
  let opened = 0
  db.transaction = ((inner: Parameters<typeof transaction>[0]) => {
    opened++
    return transaction(inner)
  }) as typeof db.transaction
  try {
    await work()
    return opened
  } finally {
    db.transaction = transaction
  }
}
