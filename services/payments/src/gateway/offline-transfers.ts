import type { Db } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { offlineTransfers } from '../db/schema.ts'
import type { TransferInput } from './port.ts'

/** Where the offline gateway keeps its transfers: one per idempotency key, like Stripe. */
export type TransferBook = {
  /** The transfer made for this key, made now (id from `makeId`) if there is none yet. */
  once(input: TransferInput, makeId: () => string): Promise<{ id: string }>
}

/** In this process's memory: lost with it (the embedded PGlite, unit tests). */
export function memoryTransfers(): TransferBook {
  const made = new Map<string, { id: string }>()
  return {
    async once(input, makeId) {
      const known = made.get(input.idempotencyKey)
      if (known) return known
      const transfer = { id: makeId() }
      made.set(input.idempotencyKey, transfer)
      return transfer
    },
  }
}

/**
 * In the payments database, each write committed on its own (not in the caller's transaction):
 * a transfer outlives a worker killed before its commit, and every replica sees it, as every
 * caller sees Stripe's. Needs a pool (postgres.js): PGlite's one connection is busy with the
 * caller's transaction.
 */
export function databaseTransfers(db: Db, clock: () => Date): TransferBook {
  return {
    async once(input, makeId) {
      const [inserted] = await db
        .insert(offlineTransfers)
        .values({
          idempotencyKey: input.idempotencyKey,
          id: makeId(),
          payoutId: input.metadata.payoutId ?? null,
          amount: input.amount,
          destination: input.destination,
          createdAt: clock(),
        })
        .onConflictDoNothing({ target: offlineTransfers.idempotencyKey })
        .returning({ id: offlineTransfers.id })
      if (inserted) return inserted
      const [first] = await db
        .select({ id: offlineTransfers.id })
        .from(offlineTransfers)
        .where(eq(offlineTransfers.idempotencyKey, input.idempotencyKey))
      if (!first) throw new Error('offline transfer neither made nor found')
      return first
    },
  }
}
