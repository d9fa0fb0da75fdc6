import {
  authKeysTable,
  outboxTable,
  processedEventsTable,
  revokedSessionsTable,
  type TicketStatus,
} from '@twtix/common'
import { sql } from 'drizzle-orm'
import { check, index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core'

export const ticketsSchema = pgSchema('tickets')

export const tickets = ticketsSchema.table(
  'tickets',
  {
    id: uuid('id').primaryKey(),
    title: text('title').notNull(),
    /** Whole yen: JPY has no minor unit. */
    price: integer('price').notNull(),
    userId: uuid('user_id').notNull(),
    status: text('status').$type<TicketStatus>().notNull().default('available'),
    orderId: uuid('order_id'),
    version: integer('version').notNull().default(0),
    /**
     * When the newest order seen for this ticket was created (its order.created occurredAt).
     * Orders of one ticket travel on different partitions; this tells a stale order.created
     * from a newer one (see reserve-ticket.ts).
     */
    lastOrderAt: timestamp('last_order_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // The listing: unsold tickets, newest first, keyset-paginated on (created_at, id).
    index('tickets_unsold_listing_idx')
      .on(t.createdAt.desc(), t.id.desc())
      .where(sql`${t.status} in ('available', 'reserved')`),
    check('tickets_status_check', sql`${t.status} in ('available', 'reserved', 'sold')`),
    check('tickets_price_check', sql`${t.price} between 50 and 9999999`),
    check('tickets_title_check', sql`char_length(${t.title}) between 1 and 120`),
    check('tickets_order_check', sql`(${t.status} = 'available') = (${t.orderId} is null)`),
  ],
)

export type TicketRow = typeof tickets.$inferSelect

export const outbox = outboxTable(ticketsSchema)
export const processedEvents = processedEventsTable(ticketsSchema)
export const authKeys = authKeysTable(ticketsSchema)
export const revokedSessions = revokedSessionsTable(ticketsSchema)
