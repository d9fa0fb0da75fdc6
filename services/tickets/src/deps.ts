import type { Clock, Db, Logger } from '@twtix/common'
import type { ListingCache } from './queries/listing-cache.ts'

export type Deps = {
  db: Db
  clock: Clock
  logger: Logger
  /** Woken after a transaction that wrote outbox rows commits. */
  relay?: { wake(): void }
  /** The public listing's pages in memory (the service's; tests may go without). */
  listing?: ListingCache
}
