import { fileURLToPath } from 'node:url'
import {
  createRelay,
  type Service,
  type ServiceInfra,
  type Subscription,
  startConsumer,
} from '@twtix/common'
import { migrateService } from '@twtix/common/db'
import { createApp } from './app.ts'
import type { ExpirationConfig } from './config.ts'
import { outbox, processedEvents } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { subscriptions } from './events/subscriptions.ts'
import { sweep } from './sweep.ts'
import { type Sweeper, startSweeper } from './sweeper.ts'

export const migrationsFolder = fileURLToPath(
  new URL('../../../drizzle/expiration', import.meta.url),
)

export async function createExpirationService(
  infra: ServiceInfra<ExpirationConfig>,
): Promise<Service> {
  const { config, database, bus, logger, clock } = infra
  const db = database.db
  await migrateService(db, 'expiration', migrationsFolder)
  const topicPrefix = config.TOPIC_PREFIX
  const relay = createRelay({ db, outbox, bus, logger, name: 'expiration.outbox', topicPrefix })
  const deps: Deps = { db, clock, logger, config, relay }
  const ready = async () => {
    await database.ping()
    await bus.ping()
  }
  const app = createApp({ logger, ready })
  let subscription: Subscription | undefined
  let sweeper: Sweeper | undefined
  return {
    name: 'expiration',
    app,
    summary: `order holds expire on "${config.SWEEP_CRON}" (batches of ${config.SWEEP_BATCH_SIZE})`,
    start: async () => {
      relay.start()
      subscription = await startConsumer({
        bus,
        db,
        processed: processedEvents,
        group: 'expiration',
        subscriptions: subscriptions(deps),
        relay,
        topicPrefix,
        logger,
      })
      sweeper = startSweeper({ schedule: config.SWEEP_CRON, sweep: () => sweep(deps), logger })
    },
    stop: async () => {
      await sweeper?.stop()
      await subscription?.close()
      await relay.stop()
      sweeper = undefined
      subscription = undefined
    },
  }
}
