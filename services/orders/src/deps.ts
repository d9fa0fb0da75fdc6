import type { Clock, Db, Logger } from '@twtix/common'
import type { OrdersConfig } from './config.ts'

export type Deps = {
  db: Db
  clock: Clock
  logger: Logger
  config: Pick<OrdersConfig, 'ORDER_HOLD_SECONDS'>
  /** Woken after a transaction that wrote to the outbox commits. */
  relay?: { wake(): void }
}
