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
import type { TicketsConfig } from './config.ts'
import { authKeys, outbox, processedEvents } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { subscriptions } from './events/subscriptions.ts'

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle/tickets', import.meta.url))

export async function createTicketsService(infra: ServiceInfra<TicketsConfig>): Promise<Service> {
  const { config, database, bus, logger, clock } = infra
  const db = database.db
  await migrateService(db, 'tickets', migrationsFolder)
  const topicPrefix = config.TOPIC_PREFIX
  const relay = createRelay({ db, outbox, bus, logger, name: 'tickets.outbox', topicPrefix })
  const deps: Deps = { db, clock, logger, relay }
  const app = createApp(deps, {
    verifier: serviceVerifier(infra, authKeys),
    logger,
    ready: async () => {
      await database.ping()
      await bus.ping()
    },
  })
  let subscription: Subscription | undefined
  return {
    name: 'tickets',
    app,
    summary: 'tickets for sale; locks them for orders',
    start: async () => {
      relay.start()
      subscription = await startConsumer({
        bus,
        db,
        processed: processedEvents,
        group: 'tickets',
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
