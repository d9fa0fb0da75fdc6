import { outboxTable, processedEventsTable } from '@twtix/common'
import { index, pgSchema, timestamp, uuid } from 'drizzle-orm/pg-core'

export const expirationSchema = pgSchema('expiration')

/** One row per order still on hold: when its hold runs out. Gone once it expired or ended. */
export const due = expirationSchema.table(
  'due',
  {
    orderId: uuid('order_id').primaryKey(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('due_due_at_idx').on(t.dueAt)],
)

export const outbox = outboxTable(expirationSchema)
export const processedEvents = processedEventsTable(expirationSchema)
