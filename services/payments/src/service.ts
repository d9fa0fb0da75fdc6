import { fileURLToPath } from 'node:url'
import {
  createRelay,
  type Service,
  type ServiceInfra,
  type Subscription,
  serviceVerifier,
  startConsumer,
} from '@twtix/common'
import { migrateService } from '@twtix/common/db'
import { createApp } from './app.ts'
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
  const { config, database, bus, logger, clock } = infra
  const db = database.db
  await migrateService(db, 'payments', migrationsFolder)
  const relay = createRelay({
    db,
    outbox,
    bus,
    logger,
    name: 'payments.outbox',
    topicPrefix: config.TOPIC_PREFIX,
  })
  const { gateway, line } = gatewayOf(config)
  const webhooks = config.STRIPE_WEBHOOK_SECRET
    ? createWebhookVerifier(config.STRIPE_WEBHOOK_SECRET)
    : undefined
  const deps: Deps = { db, clock, logger, gateway, webhooks, relay }
  const ready = async () => {
    await database.ping()
    await bus.ping()
  }
  const app = createApp(deps, { verifier: serviceVerifier(infra, authKeys), logger, ready })
  let subscription: Subscription | undefined
  return {
    name: 'payments',
    app,
    summary: `payments and order copies; ${line}${webhooks ? '' : '; webhooks off (no STRIPE_WEBHOOK_SECRET)'}`,
    start: async () => {
      relay.start()
      subscription = await startConsumer({
        bus,
        db,
        processed: processedEvents,
        group: 'payments',
        subscriptions: subscriptions(deps),
        relay,
        topicPrefix: config.TOPIC_PREFIX,
        logger,
      })
    },
    stop: async () => {
      await subscription?.close()
      subscription = undefined
      await relay.stop()
    },
  }
}
