import * as v from 'valibot'

const Id = v.pipe(v.string(), v.uuid())
const Version = v.pipe(v.number(), v.integer(), v.minValue(0))
const Yen = v.pipe(v.number(), v.integer(), v.minValue(0))
const Timestamp = v.pipe(v.string(), v.isoTimestamp())

export const TicketStatus = v.picklist(['available', 'reserved', 'sold'])
export type TicketStatus = v.InferOutput<typeof TicketStatus>

export const OrderStatus = v.picklist(['created', 'cancelled', 'complete'])
export type OrderStatus = v.InferOutput<typeof OrderStatus>

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
})

/**
 * Every event twtix publishes: subject → schema of `data`. Schemas change only additively
 * (`v.object` ignores unknown keys), so an old consumer reads a newer producer's events.
 */
export const eventSchemas = {
  'ticket.created': TicketState,
  'ticket.updated': TicketState,
  'order.created': v.object({
    id: Id,
    userId: Id,
    status: OrderStatus,
    expiresAt: Timestamp,
    version: Version,
    ticket: v.object({ id: Id, title: v.string(), price: Yen }),
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
  order: 'orders',
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
  orders: 'orders',
  expiration: 'expiration',
  payments: 'payments',
  sessions: 'auth',
}

/**
 * Events are keyed so that what must stay in order shares a partition: ticket events by the
 * ticket; order events by their ticket too, so every order of one ticket (A cancelled, then B
 * created) reaches the tickets service in the order orders committed them, and each order's own
 * events stay in order as well; expiration and payment events by their order; session events by
 * the session.
 */
export function keyOf<S extends Subject>(subject: S, data: EventData<S>): string {
  const d = data as { id?: string; orderId?: string; ticket?: { id: string } }
  if (subject.startsWith('ticket.')) return d.id as string
  if (subject.startsWith('order.')) return d.ticket?.id as string
  if (subject.startsWith('session.')) return d.id as string
  return d.orderId as string
}
