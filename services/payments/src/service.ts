import { fileURLToPath } from 'node:url'
import {
  ConfigError,
  type CronJob,
  RETENTION,
  type Service,
  type ServiceInfra,
  serviceEvents,
  serviceRevocations,
  serviceVerifier,
  startCronJob,
} from '@twtix/common'
import { migrateService } from '@twtix/common/db'
import { createApp } from './app.ts'
import { payDuePayouts } from './commands/pay-due-payouts.ts'
import { refundDue } from './commands/refund-due.ts'
import { type PaymentsConfig, stripeHostOf } from './config.ts'
import {
  authKeys,
  idempotencyKeys,
  outbox,
  processedEvents,
  revokedSessions,
  stripeEvents,
} from './db/schema.ts'
import type { Deps } from './deps.ts'
import { subscriptions } from './events/subscriptions.ts'
import { createOfflineGateway } from './gateway/offline.ts'
import { databaseTransfers, type TransferBook } from './gateway/offline-transfers.ts'
import type { PaymentGateway } from './gateway/port.ts'
import { createStripeGateway } from './gateway/stripe.ts'
import { createWebhookVerifier } from './gateway/webhooks.ts'

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle/payments', import.meta.url))

/**
 * Stripe with a key; the offline gateway only when PAYMENTS_OFFLINE=true says so. Neither is a
 * configuration error: payments fails closed rather than take test cards in production.
 */
export function gatewayOf(
  config: PaymentsConfig,
  transfers?: TransferBook,
): { gateway: PaymentGateway; line: string } {
  if (config.STRIPE_SECRET_KEY && config.PAYMENTS_OFFLINE) {
    throw new ConfigError(
      'Configuration error: PAYMENTS_OFFLINE: true while STRIPE_SECRET_KEY is set; choose one',
    )
  }
  if (!config.STRIPE_SECRET_KEY) {
    if (!config.PAYMENTS_OFFLINE) {
      throw new ConfigError(
        'Configuration error: STRIPE_SECRET_KEY: required unless PAYMENTS_OFFLINE=true (it is missing)',
      )
    }
    return {
      gateway: createOfflineGateway({ transfers }),
      line: 'offline payment gateway (PAYMENTS_OFFLINE=true): Stripe test tokens, no real charges',
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
  const revocations = await serviceRevocations(infra, revokedSessions)
  const events = serviceEvents(infra, {
    name: 'payments',
    outbox,
    processed: processedEvents,
    revocations,
    retained: [
      {
        table: idempotencyKeys,
        column: idempotencyKeys.createdAt,
        keepMs: RETENTION.idempotencyKeys,
      },
      { table: stripeEvents, column: stripeEvents.receivedAt, keepMs: RETENTION.stripeEvents },
    ],
  })
  // On a pool the offline transfers are kept in the database, where every replica and the
  // invariant checker see them and a kill does not take them along.
  const transfers = database.kind === 'postgres' ? databaseTransfers(db, clock) : undefined
  const { gateway, line } = gatewayOf(config, transfers)
  const webhooks = config.STRIPE_WEBHOOK_SECRET
    ? createWebhookVerifier(config.STRIPE_WEBHOOK_SECRET)
    : undefined
  const deps: Deps = {
    db,
    clock,
    logger,
    config,
    gateway,
    webhooks,
    relay: events.relay,
    verifier: serviceVerifier(infra, authKeys, revocations),
    revocations,
    ready: events.ready,
  }
  const app = createApp(deps)
  let refunds: CronJob | undefined
  let payoutsJob: CronJob | undefined
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
      // The payouts worker lives in the payments process: the fault suite's kills cover it.
      payoutsJob = startCronJob({
        name: 'payments.payouts',
        schedule: '* * * * * *',
        run: async () => {
          const run = await payDuePayouts(deps)
          return run.paid + run.reversed
        },
        done: 'payouts paid or reversed',
        logger,
      })
    },
    stop: async () => {
      await refunds?.stop()
      await payoutsJob?.stop()
      refunds = undefined
      payoutsJob = undefined
      await events.stop()
    },
  }
}
