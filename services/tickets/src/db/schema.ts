import {
  authKeysTable,
  outboxTable,
  processedEventsTable,
  revokedSessionsTable,
  type TicketStatus,
} from '@twtix/common'
import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  customType,
  index,
  integer,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

export const ticketsSchema = pgSchema('tickets')

export type EventStatus = 'scheduled' | 'postponed' | 'cancelled' | 'finished'

/** What is on: a concert, a match. Listings of it are sold until it starts. */
export const events = ticketsSchema.table(
  'events',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    venue: text('venue').notNull(),
    city: text('city').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    status: text('status').$type<EventStatus>().notNull().default('scheduled'),
    /** +1 on every change (postponed, cancelled): event.updated carries it. */
    version: integer('version').notNull().default(0),
    /**
     * Name, venue and city folded (NFKC, lower case, one space): what duplicates are told by
     * and what search matches with ILIKE. A substring match, not full text: Japanese names have
     * no spaces for a parser to split on ("武道館" must find "日本武道館").
     */
    nameKey: text('name_key').notNull(),
    venueKey: text('venue_key').notNull(),
    cityKey: text('city_key').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // One event per (name, venue, start): the second to create it gets the first one.
    uniqueIndex('events_identity_idx').on(t.nameKey, t.venueKey, t.startsAt),
    index('events_starts_idx').on(t.startsAt, t.id),
    check(
      'events_status_check',
      sql`${t.status} in ('scheduled', 'postponed', 'cancelled', 'finished')`,
    ),
    check('events_ends_check', sql`${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`),
  ],
)

export type EventRow = typeof events.$inferSelect

export const tickets = ticketsSchema.table(
  'tickets',
  {
    id: uuid('id').primaryKey(),
    title: text('title').notNull(),
    /** Whole yen: JPY has no minor unit. */
    price: integer('price').notNull(),
    userId: uuid('user_id').notNull(),
    /** Null for a listing made without an event (the original `{title, price}` API). */
    eventId: uuid('event_id').references(() => events.id),
    /** The price printed on the ticket, whole yen: the resale price is capped by it. */
    faceValue: integer('face_value'),
    section: text('section'),
    row: text('row'),
    seat: text('seat'),
    status: text('status').$type<TicketStatus>().notNull().default('available'),
    orderId: uuid('order_id'),
    version: integer('version').notNull().default(0),
    /**
     * When the newest order seen for this ticket was created (its order.created occurredAt).
     * Orders of one ticket travel on different partitions; this tells a stale order.created
     * from a newer one (see reserve-ticket.ts).
     */
    lastOrderAt: timestamp('last_order_at', { withTimezone: true }),
    /**
     * Whether the seller has added the delivery details (ticket_deliveries): what the listing
     * shows as `delivery`, without ever reading the delivery's bytes.
     */
    hasDelivery: boolean('has_delivery').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // The listing: unsold tickets, newest first, keyset-paginated on (created_at, id).
    index('tickets_unsold_listing_idx')
      .on(t.createdAt.desc(), t.id.desc())
      .where(sql`${t.status} in ('available', 'reserved')`),
    // An event's listings, cheapest first, keyset-paginated on (price, id).
    index('tickets_event_listing_idx')
      .on(t.eventId, t.price, t.id)
      .where(sql`${t.status} in ('available', 'reserved')`),
    check(
      'tickets_face_value_check',
      sql`${t.faceValue} is null or ${t.faceValue} between 1 and 9999999`,
    ),
    check(
      'tickets_event_face_value_check',
      sql`${t.eventId} is null or ${t.faceValue} is not null`,
    ),
    check('tickets_status_check', sql`${t.status} in ('available', 'reserved', 'sold')`),
    check('tickets_price_check', sql`${t.price} between 50 and 9999999`),
    check('tickets_title_check', sql`char_length(${t.title}) between 1 and 120`),
    check('tickets_order_check', sql`(${t.status} = 'available') = (${t.orderId} is null)`),
  ],
)

export type TicketRow = typeof tickets.$inferSelect

/**
 * Bytes: a Uint8Array both ways (postgres.js reads a Buffer, one too). The delivery's own
 * queries move file contents as hex text instead (see put-delivery.ts): PGlite's encoding of a
 * Uint8Array parameter took seconds for 2 MB.
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
})

export type DeliveryKind = 'code' | 'url' | 'file'

/**
 * What the buyer needs to get in, kept apart from `tickets` so no listing query reads it: a
 * transfer code, a URL, or a file (PDF or PNG, at most 2 MB) stored here as bytea.
 */
export const ticketDeliveries = ticketsSchema.table(
  'ticket_deliveries',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    kind: text('kind').$type<DeliveryKind>().notNull(),
    /** The code or the URL; null for a file. */
    value: text('value'),
    content: bytea('content'),
    contentType: text('content_type'),
    fileName: text('file_name'),
    size: integer('size'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('ticket_deliveries_kind_check', sql`${t.kind} in ('code', 'url', 'file')`),
    check(
      'ticket_deliveries_shape_check',
      sql`(${t.kind} = 'file') = (${t.content} is not null and ${t.value} is null)`,
    ),
    check('ticket_deliveries_size_check', sql`${t.size} is null or ${t.size} <= 2097152`),
  ],
)

export type DeliveryRow = typeof ticketDeliveries.$inferSelect

export type SaleStatus = 'created' | 'paid' | 'cancelled' | 'refunded'

/**
 * The orders of this service's tickets, as order events tell them: who bought which ticket and
 * whether it was paid, so the buyer (and only the buyer) can fetch the delivery.
 */
export const ticketOrders = ticketsSchema.table(
  'ticket_orders',
  {
    orderId: uuid('order_id').primaryKey(),
    ticketId: uuid('ticket_id').notNull(),
    buyerId: uuid('buyer_id').notNull(),
    status: text('status').$type<SaleStatus>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('ticket_orders_ticket_idx').on(t.ticketId),
    check(
      'ticket_orders_status_check',
      sql`${t.status} in ('created', 'paid', 'cancelled', 'refunded')`,
    ),
  ],
)

export type TicketOrderRow = typeof ticketOrders.$inferSelect

/**
 * A paid ticket with no delivery yet, due at its event's start − DELIVERY_DEADLINE_HOURS: the
 * delivery sweep announces ticket.undelivered then (payments refunds the order). Adding the
 * delivery first deletes the row.
 */
export const deliveryDeadlines = ticketsSchema.table(
  'delivery_deadlines',
  {
    orderId: uuid('order_id').primaryKey(),
    ticketId: uuid('ticket_id').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('delivery_deadlines_due_idx').on(t.dueAt),
    index('delivery_deadlines_ticket_idx').on(t.ticketId),
  ],
)

export const outbox = outboxTable(ticketsSchema)
export const processedEvents = processedEventsTable(ticketsSchema)
export const authKeys = authKeysTable(ticketsSchema)
export const revokedSessions = revokedSessionsTable(ticketsSchema)
