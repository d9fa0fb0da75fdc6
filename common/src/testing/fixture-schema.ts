import { pgSchema } from 'drizzle-orm/pg-core'
import { idempotencyKeysTable } from '../http/idempotency.ts'
import { outboxTable, processedEventsTable } from '../outbox/tables.ts'

/** A schema with common's tables alone, for common's own tests. */
export const fixtureSchema = pgSchema('common_fixture')
export const outbox = outboxTable(fixtureSchema)
export const processedEvents = processedEventsTable(fixtureSchema)
export const idempotencyKeys = idempotencyKeysTable(fixtureSchema)
