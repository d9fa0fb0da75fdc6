import { fileURLToPath } from 'node:url'
import {
  type CronJob,
  type Service,
  type ServiceInfra,
  serviceEvents,
  startCronJob,
} from '@twtix/common'
import { migrateService } from '@twtix/common/db'
import { createApp } from './app.ts'
import type { ExpirationConfig } from './config.ts'
import { outbox, processedEvents } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { subscriptions } from './events/subscriptions.ts'
import { sweep } from './sweep.ts'

export const migrationsFolder = fileURLToPath(
  new URL('../../../drizzle/expiration', import.meta.url),
)

export async function createExpirationService(
  infra: ServiceInfra<ExpirationConfig>,
): Promise<Service> {
  const { config, database, logger, clock } = infra
  const db = database.db
  await migrateService(db, 'expiration', migrationsFolder)
  const events = serviceEvents(infra, {
    name: 'expiration',
    outbox,
    processed: processedEvents,
    gatherMs: config.EVENTS_GATHER_MS,
  })
  const deps: Deps = { db, clock, logger, config, relay: events.relay, ready: events.ready }
  let sweeper: CronJob | undefined
  return {
    name: 'expiration',
    app: createApp(deps),
    summary: `order holds expire on "${config.SWEEP_CRON}" (batches of ${config.SWEEP_BATCH_SIZE})`,
    start: async () => {
      await events.start(subscriptions(deps))
      sweeper = startCronJob({
        name: 'expiration.sweep',
        schedule: config.SWEEP_CRON,
        run: () => sweep(deps),
        done: 'orders expired',
        logger,
      })
    },
    stop: async () => {
      await sweeper?.stop()
      sweeper = undefined
      await events.stop()
    },
  }
}
