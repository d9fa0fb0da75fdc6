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
import type { OrdersConfig } from './config.ts'
import { authKeys, outbox, processedEvents } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { subscriptions } from './events/subscriptions.ts'

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle/orders', import.meta.url))

export async function createOrdersService(infra: ServiceInfra<OrdersConfig>): Promise<Service> {
  const { config, database, bus, logger, clock } = infra
  const db = database.db
  await migrateService(db, 'orders', migrationsFolder)
  const topicPrefix = config.TOPIC_PREFIX
  const relay = createRelay({ db, outbox, bus, logger, name: 'orders.outbox', topicPrefix })
  const deps: Deps = { db, clock, logger, config, relay }
  const ready = async () => {
    await database.ping()
    await bus.ping()
  }
  const app = createApp(deps, { verifier: serviceVerifier(infra, authKeys), logger, ready })
  let subscription: Subscription | undefined
  return {
    name: 'orders',
    app,
    summary: `orders and the ticket replica (hold ${config.ORDER_HOLD_SECONDS}s)`,
    start: async () => {
      relay.start()
      subscription = await startConsumer({
        bus,
        db,
        processed: processedEvents,
        group: 'orders',
        subscriptions: subscriptions(deps),
        relay,
        topicPrefix,
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
