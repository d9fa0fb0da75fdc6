import { fileURLToPath } from 'node:url'
import {
  type CronJob,
  type Service,
  type ServiceInfra,
  serviceEvents,
  serviceRevocations,
  serviceVerifier,
  startCronJob,
} from '@twtix/common'
import { migrateService } from '@twtix/common/db'
import { createApp } from './app.ts'
import type { TicketsConfig } from './config.ts'
import { authKeys, outbox, processedEvents, revokedSessions } from './db/schema.ts'
import { sweepDeliveryDeadlines } from './delivery/sweep-deadlines.ts'
import type { Deps } from './deps.ts'
import { subscriptions } from './events/subscriptions.ts'
import { createListingCache } from './queries/listing-cache.ts'

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle/tickets', import.meta.url))

export async function createTicketsService(infra: ServiceInfra<TicketsConfig>): Promise<Service> {
  const { database, logger, clock } = infra
  const db = database.db
  await migrateService(db, 'tickets', migrationsFolder)
  const revocations = await serviceRevocations(infra, revokedSessions)
  const events = serviceEvents(infra, {
    name: 'tickets',
    outbox,
    processed: processedEvents,
    revocations,
  })
  const listing =
    infra.config.LISTING_CACHE_MS > 0
      ? await createListingCache(database, { maxAgeMs: infra.config.LISTING_CACHE_MS })
      : undefined
  const deps: Deps = {
    db,
    clock,
    logger,
    config: infra.config,
    relay: events.relay,
    listing,
    verifier: serviceVerifier(infra, authKeys, revocations),
    revocations,
    ready: events.ready,
  }
  let deadlines: CronJob | undefined
  return {
    name: 'tickets',
    app: createApp(deps),
    summary: `events and tickets for sale; locks them for orders; delivery due ${infra.config.DELIVERY_DEADLINE_HOURS} h before the event`,
    start: async () => {
      await events.start(subscriptions(deps))
      deadlines = startCronJob({
        name: 'tickets.delivery-deadlines',
        schedule: infra.config.DELIVERY_SWEEP_CRON,
        run: () => sweepDeliveryDeadlines(deps),
        done: 'undelivered tickets announced for a refund',
        logger,
      })
    },
    stop: async () => {
      await deadlines?.stop()
      deadlines = undefined
      await events.stop()
      await listing?.close()
    },
  }
}
