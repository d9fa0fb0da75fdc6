import { fileURLToPath } from 'node:url'
import {
  type Service,
  type ServiceInfra,
  serviceEvents,
  serviceRevocations,
  serviceVerifier,
} from '@twtix/common'
import { migrateService } from '@twtix/common/db'
import { createApp } from './app.ts'
import type { TicketsConfig } from './config.ts'
import { authKeys, outbox, processedEvents, revokedSessions } from './db/schema.ts'
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
  return {
    name: 'tickets',
    app: createApp(deps),
    summary: 'events and tickets for sale; locks them for orders',
    start: () => events.start(subscriptions(deps)),
    stop: async () => {
      await events.stop()
      await listing?.close()
    },
  }
}
