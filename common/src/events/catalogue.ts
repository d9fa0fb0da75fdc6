import * as v from 'valibot'

const Id = v.pipe(v.string(), v.uuid())
const Version = v.pipe(v.number(), v.integer(), v.minValue(0))
const Yen = v.pipe(v.number(), v.integer(), v.minValue(0))
const Timestamp = v.pipe(v.string(), v.isoTimestamp())

export const TicketStatus = v.picklist(['available', 'reserved', 'sold'])
export type TicketStatus = v.InferOutput<typeof TicketStatus>

export const OrderStatus = v.picklist(['created', 'cancelled', 'complete'])
export type OrderStatus = v.InferOutput<typeof OrderStatus>

export const EventStatus = v.picklist(['scheduled', 'postponed', 'cancelled', 'finished'])
export type EventStatus = v.InferOutput<typeof EventStatus>

export const ClaimReason = v.picklist(['not received', 'invalid', 'not as described'])
export type ClaimReason = v.InferOutput<typeof ClaimReason>

export const ClaimOutcome = v.picklist(['refund', 'release'])
export type ClaimOutcome = v.InferOutput<typeof ClaimOutcome>

/** An event (a concert, a match) as the tickets service keeps it: the whole state, every time. */
const EventState = v.object({
  id: Id,
  name: v.string(),
  venue: v.string(),
  city: v.string(),
  status: EventStatus,
  startsAt: Timestamp,
  endsAt: v.nullable(Timestamp),
  version: Version,
})

const TicketState = v.object({
  id: Id,
  title: v.string(),
  price: Yen,
  userId: Id,
  status: TicketStatus,
  orderId: v.nullable(Id),
  version: Version,
  /** The event the ticket is for; absent or null for a listing made without one. */
  eventId: v.optional(v.nullable(Id)),
  faceValue: v.optional(v.nullable(Yen)),
  /** When the event starts: sales stop then, and orders refuses an order from that moment. */
  eventStartsAt: v.optional(v.nullable(Timestamp)),
  /** When the event ends (null: unknown, its start counts); payouts are due a delay after it. */
  eventEndsAt: v.optional(v.nullable(Timestamp)),
})

/**
 * Every event twtix publishes: subject → schema of `data`. Schemas change only additively
 * (`v.object` ignores unknown keys), so an old consumer reads a newer producer's events.
 */
export const eventSchemas = {
  'ticket.created': TicketState,
  'ticket.updated': TicketState,
  /**
   * A paid ticket's seller gave no delivery details before the event's start minus
   * DELIVERY_DEADLINE_HOURS: payments refunds the order in full.
   */
  'ticket.undelivered': v.object({ id: Id, orderId: Id }),
  'event.created': EventState,
  /** Any change: postponed (new times), cancelled (every order of it ends, paid ones refunded). */
  'event.updated': EventState,
  'order.created': v.object({
    id: Id,
    userId: Id,
    status: OrderStatus,
    expiresAt: Timestamp,
    version: Version,
    ticket: v.object({ id: Id, title: v.string(), price: Yen }),
    /** The seller, who is paid the price less the seller fee after the event. */
    sellerId: v.optional(Id),
    eventId: v.optional(v.nullable(Id)),
    /** Fees in yen; `total` (price + buyer fee) is what the buyer is charged. */
    buyerFee: v.optional(Yen),
    sellerFee: v.optional(Yen),
    total: v.optional(Yen),
  }),
  'order.cancelled': v.object({ id: Id, version: Version, ticket: v.object({ id: Id }) }),
  'order.completed': v.object({ id: Id, version: Version, ticket: v.object({ id: Id }) }),
  'expiration.completed': v.object({ orderId: Id }),
  'payment.succeeded': v.object({ id: Id, orderId: Id, amount: Yen, stripeId: v.string() }),
  'payment.failed': v.object({
    id: Id,
    orderId: Id,
    reason: v.string(),
    /** The order's last allowed decline (card testing): orders cancels it. */
    tooManyDeclines: v.optional(v.boolean()),
  }),
  'payment.refunded': v.object({ id: Id, orderId: Id, amount: Yen, stripeId: v.string() }),
  /** A buyer's claim on a paid order (buyer guarantee): the seller's payout is held meanwhile. */
  'claim.opened': v.object({
    id: Id,
    orderId: Id,
    userId: Id,
    reason: ClaimReason,
    ticket: v.object({ id: Id }),
  }),
  /** An admin's decision: `refund` refunds the buyer and cancels the payout, `release` pays it. */
  'claim.resolved': v.object({
    id: Id,
    orderId: Id,
    outcome: ClaimOutcome,
    ticket: v.object({ id: Id }),
  }),
  /**
   * A session ended (sign-out, or a stolen refresh secret used again): its tokens are refused
   * from now on. `expiresAt`: when its last access token expires, after which it can be forgotten.
   */
  'session.revoked': v.object({ id: Id, userId: Id, expiresAt: Timestamp }),
} as const

export type EventSchemas = typeof eventSchemas
export type Subject = keyof EventSchemas
export type EventData<S extends Subject> = v.InferOutput<EventSchemas[S]>

export const subjects = Object.keys(eventSchemas) as Subject[]

/** One topic per aggregate; the aggregate is the subject's first word. */
export const aggregates = {
  ticket: 'tickets',
  event: 'events',
  order: 'orders',
  claim: 'orders',
  expiration: 'expiration',
  payment: 'payments',
  session: 'sessions',
} as const

export type TopicName = (typeof aggregates)[keyof typeof aggregates]

export function baseTopicOf(subject: Subject): TopicName {
  return aggregates[subject.split('.')[0] as keyof typeof aggregates]
}

/**
 * The one service allowed to publish on each topic: the envelope's `source`, and (with Kafka ACLs)
 * the only principal that may write the topic. `sessions` is auth's.
 */
export const topicOwners: Record<TopicName, string> = {
  tickets: 'tickets',
  events: 'tickets',
  orders: 'orders',
  expiration: 'expiration',
  payments: 'payments',
  sessions: 'auth',
}

/**
 * Events are keyed so that what must stay in order shares a partition: ticket events by the
 * ticket; order events by their ticket too, so every order of one ticket (A cancelled, then B
 * created) reaches the tickets service in the order orders committed them, and each order's own
 * events stay in order as well, claims too; event events by the event; expiration and payment
 * events (and ticket.undelivered) by their order; session events by the session.
 */
export function keyOf<S extends Subject>(subject: S, data: EventData<S>): string {
  const d = data as { id?: string; orderId?: string; ticket?: { id: string } }
  if (subject === 'ticket.undelivered') return d.orderId as string
  if (subject.startsWith('ticket.')) return d.id as string
  if (subject.startsWith('event.')) return d.id as string
  if (subject.startsWith('order.') || subject.startsWith('claim.')) return d.ticket?.id as string
  if (subject.startsWith('session.')) return d.id as string
  return d.orderId as string
}
