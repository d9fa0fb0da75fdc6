import { fileURLToPath } from 'node:url'
import {
  type CronJob,
  type Service,
  type ServiceInfra,
  serviceEvents,
  serviceVerifier,
  startCronJob,
} from '@twtix/common'
import { migrateService } from '@twtix/common/db'
import { createApp } from './app.ts'
import { refundDue } from './commands/refund-due.ts'
import { type PaymentsConfig, stripeHostOf } from './config.ts'
import { authKeys, outbox, processedEvents } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { subscriptions } from './events/subscriptions.ts'
import { createOfflineGateway } from './gateway/offline.ts'
import type { PaymentGateway } from './gateway/port.ts'
import { createStripeGateway } from './gateway/stripe.ts'
import { createWebhookVerifier } from './gateway/webhooks.ts'

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle/payments', import.meta.url))

function gatewayOf(config: PaymentsConfig): { gateway: PaymentGateway; line: string } {
  if (!config.STRIPE_SECRET_KEY) {
    return {
      gateway: createOfflineGateway(),
      line: 'offline payment gateway (no STRIPE_SECRET_KEY): Stripe test tokens, no real charges',
    }
  }
  const api = config.STRIPE_API_URL ? stripeHostOf(config.STRIPE_API_URL) : undefined
  const where = config.STRIPE_API_URL ?? 'api.stripe.com'
  return {
    gateway: createStripeGateway({ secretKey: config.STRIPE_SECRET_KEY, api }),
    line: `Stripe payment gateway at ${where}`,
  }
}

export async function createPaymentsService(infra: ServiceInfra<PaymentsConfig>): Promise<Service> {
  const { config, database, logger, clock } = infra
  const db = database.db
  await migrateService(db, 'payments', migrationsFolder)
  const events = serviceEvents(infra, { name: 'payments', outbox, processed: processedEvents })
  const { gateway, line } = gatewayOf(config)
  const webhooks = config.STRIPE_WEBHOOK_SECRET
    ? createWebhookVerifier(config.STRIPE_WEBHOOK_SECRET)
    : undefined
  const deps: Deps = {
    db,
    clock,
    logger,
    gateway,
    webhooks,
    relay: events.relay,
    verifier: serviceVerifier(infra, authKeys),
    ready: events.ready,
  }
  const app = createApp(deps)
  let refunds: CronJob | undefined
  return {
    name: 'payments',
    app,
    summary: `payments and order copies; ${line}${webhooks ? '' : '; webhooks off (no STRIPE_WEBHOOK_SECRET)'}`,
    start: async () => {
      await events.start(subscriptions(deps))
      refunds = startCronJob({
        name: 'payments.refunds',
        schedule: '* * * * * *',
        run: () => refundDue(deps),
        done: 'charges refunded',
        logger,
      })
    },
    stop: async () => {
      await refunds?.stop()
      refunds = undefined
      await events.stop()
    },
  }
}
