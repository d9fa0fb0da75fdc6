import type { BaseDeps } from '@twtix/common'
import type { PaymentGateway } from './gateway/port.ts'
import type { WebhookVerifier } from './gateway/webhooks.ts'

export type Deps = BaseDeps & {
  gateway: PaymentGateway
  /** Absent when no STRIPE_WEBHOOK_SECRET is configured. */
  webhooks?: WebhookVerifier
}
