import type { Clock, Db, Logger } from '@twtix/common'
import type { ExpirationConfig } from './config.ts'

export type Deps = {
  db: Db
  clock: Clock
  logger: Logger
  config: Pick<ExpirationConfig, 'SWEEP_BATCH_SIZE'>
  /** Woken after a transaction that wrote to the outbox commits. */
  relay?: { wake(): void }
}
