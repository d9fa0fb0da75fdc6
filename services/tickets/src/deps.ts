import type { Clock, Db, Logger } from '@twtix/common'

export type Deps = {
  db: Db
  clock: Clock
  logger: Logger
  /** Woken after a transaction that wrote outbox rows commits. */
  relay?: { wake(): void }
}
