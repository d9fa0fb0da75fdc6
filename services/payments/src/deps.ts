import type { Clock, Db, Logger } from '@twtix/common'
import type { PaymentGateway } from './gateway/port.ts'
import type { WebhookVerifier } from './gateway/webhooks.ts'

export type Deps = {
  db: Db
  clock: Clock
  logger: Logger
  gateway: PaymentGateway
  /** Absent when no STRIPE_WEBHOOK_SECRET is configured. */
  webhooks?: WebhookVerifier
  relay?: { wake(): void }
}
