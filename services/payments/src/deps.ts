import type { BaseDeps } from '@twtix/common'
import type { PaymentsConfig } from './config.ts'
import type { PaymentGateway } from './gateway/port.ts'
import type { WebhookVerifier } from './gateway/webhooks.ts'

export type Deps = BaseDeps & {
  config: Pick<
    PaymentsConfig,
    | 'PAYMENT_DECLINES_PER_ORDER'
    | 'PAYMENT_DECLINES_PER_USER'
    | 'PAYMENT_DECLINE_WINDOW_SECONDS'
    | 'RATE_LIMIT_PAYMENTS_PER_MINUTE'
    | 'PAYOUT_DELAY_DAYS'
    | 'PAYOUTS_RETURN_URL'
  >
  gateway: PaymentGateway
  /** Absent when no STRIPE_WEBHOOK_SECRET is configured. */
  webhooks?: WebhookVerifier
}
