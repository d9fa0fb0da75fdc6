import { sql } from 'drizzle-orm'
import {
  bigserial,
  index,
  type PgSchema,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'

/** The outbox: events written in the same transaction as the change they announce. */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    'outbox',
    {
      id: bigserial('id', { mode: 'number' }).primaryKey(),
      eventId: uuid('event_id').notNull().unique(),
      type: text('type').notNull(),
      topic: text('topic').notNull(),
      key: text('key').notNull(),
      payload: text('payload').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      sentAt: timestamp('sent_at', { withTimezone: true }),
    },
    (t) => [index('outbox_unsent_idx').on(t.id).where(sql`${t.sentAt} is null`)],
  )
}

/** Events a consumer group has applied, recorded in the same transaction as the handler. */
export function processedEventsTable(schema: PgSchema) {
  return schema.table(
    'processed_events',
    {
      consumer: text('consumer').notNull(),
      eventId: uuid('event_id').notNull(),
      processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
  )
}

export type OutboxTable = ReturnType<typeof outboxTable>
export type ProcessedEventsTable = ReturnType<typeof processedEventsTable>
