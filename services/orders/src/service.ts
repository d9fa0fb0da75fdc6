import { fileURLToPath } from 'node:url'
import {
  RETENTION,
  type Service,
  type ServiceInfra,
  serviceEvents,
  serviceRevocations,
  serviceVerifier,
} from '@twtix/common'
import { migrateService } from '@twtix/common/db'
import { createApp } from './app.ts'
import type { OrdersConfig } from './config.ts'
import { authKeys, idempotencyKeys, outbox, processedEvents, revokedSessions } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { subscriptions } from './events/subscriptions.ts'

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle/orders', import.meta.url))

export async function createOrdersService(infra: ServiceInfra<OrdersConfig>): Promise<Service> {
  const { config, database, logger, clock } = infra
  const db = database.db
  await migrateService(db, 'orders', migrationsFolder)
  const revocations = await serviceRevocations(infra, revokedSessions)
  const events = serviceEvents(infra, {
    name: 'orders',
    outbox,
    processed: processedEvents,
    revocations,
    retained: [
      {
        table: idempotencyKeys,
        column: idempotencyKeys.createdAt,
        keepMs: RETENTION.idempotencyKeys,
      },
    ],
  })
  const deps: Deps = {
    db,
    clock,
    logger,
    config,
    relay: events.relay,
    verifier: serviceVerifier(infra, authKeys, revocations),
    revocations,
    ready: events.ready,
  }
  return {
    name: 'orders',
    app: createApp(deps),
    summary: `orders and the ticket replica (hold ${config.ORDER_HOLD_SECONDS}s)`,
    start: () => events.start(subscriptions(deps)),
    stop: events.stop,
  }
}
