import { maxPrice } from '../../services/tickets/src/commands/price-cap.ts'
import { consumersOf } from './consumers.ts'
import { moneyViolations } from './money-rules.ts'
import type { Snapshot } from './snapshot.ts'

/** Every invariant, by name, with what breaking it means. */
export const rules = {
  'ticket-double-booked': 'a ticket has more than one active (created or complete) order',
  'reserved-without-live-order':
    'a reserved ticket is not held by a live (created, unexpired) order',
  'live-order-not-holding': 'a live (created, unexpired) order does not hold its ticket',
  'sold-without-complete-order': 'a sold ticket is not sold to a complete order',
  'complete-order-not-sold': "a complete order's ticket is not sold to it",
  'complete-without-payment':
    'a complete order has no succeeded payment (nor a refunded one with the refund recorded)',
  'paid-twice': 'an order has more than one succeeded payment',
  'charged-for-cancelled-order': 'a succeeded payment (not refunded) for a cancelled order',
  'hold-past-expiry': 'an order is still created past its expiry',
  'due-past-time': 'an expiration row is still waiting past its time',
  'ticket-replica-diverged': "orders' copy of a ticket differs from tickets'",
  'ticket-replica-missing': "a ticket is missing from orders' replica",
  'ticket-replica-orphan': "orders' replica has a ticket tickets does not have",
  'order-replica-diverged': "payments' copy of an order differs from orders'",
  'order-replica-missing': "an order is missing from payments' replica",
  'order-replica-orphan': "payments' replica has an order orders does not have",
  'price-above-cap': "a listed ticket's price is above its face value × RESALE_PRICE_CAP",
  'outbox-unsent': 'outbox rows were never published',
  'event-not-processed': 'a published event was never applied by a consumer group',
  'dead-letters': 'messages in dead-letter topics (other than expected)',
  'payout-or-refund': 'a paid order has not exactly one payout, or a refunded one still has one',
  'payout-before-due': "a payout was made before its event's end + PAYOUT_DELAY_DAYS",
  'payout-with-open-claim': 'a payout was made while a claim on its order was open',
  'payout-transferred-twice': 'the gateway made more than one transfer for one payout',
  'payout-transfer-missing':
    "a paid payout's transfer is not at the gateway (or not for this payout and amount)",
  'money-unbalanced': "an order's charges ≠ its seller's transfer + fees + refunds",
} as const

export type Rule = keyof typeof rules

export type Violation = { rule: Rule; message: string; ids: Record<string, string | string[]> }

export type RuleOptions = {
  now: Date
  /**
   * How late the system may be: an order may stay created this long past its expiry, an outbox
   * row unsent and an event unapplied this long after it was written.
   */
  graceMs: number
  /** tickets' RESALE_PRICE_CAP: no listed ticket may cost more than its face value × this. */
  resalePriceCap: number
  /** payments' PAYOUT_DELAY_DAYS: no payout before its event's end + this. */
  payoutDelayDays: number
}

// payments' copy names a complete order `completed`.
const copyStatus: Record<string, string> = {
  created: 'created',
  cancelled: 'cancelled',
  complete: 'completed',
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    map.set(k, [...(map.get(k) ?? []), item])
  }
  return map
}

function differences<T extends Record<string, unknown>>(a: T, b: T, fields: (keyof T)[]) {
  return fields
    .filter((f) => a[f] !== b[f])
    .map((f) => `${String(f)} ${String(a[f])} ≠ ${String(b[f])}`)
}

/** Checks a snapshot; returns every broken invariant with the ids involved. */
export function findViolations(s: Snapshot, options: RuleOptions): Violation[] {
  const out: Violation[] = []
  const late = (t: Date) => t.getTime() + options.graceMs < options.now.getTime()
  const orderById = new Map(s.orders.map((o) => [o.id, o]))
  const ticketById = new Map(s.tickets.map((t) => [t.id, t]))
  const succeeded = groupBy(
    s.payments.filter((p) => p.status === 'succeeded'),
    (p) => p.orderId,
  )
  const refunded = new Set(s.payments.filter((p) => p.status === 'refunded').map((p) => p.orderId))

  const active = s.orders.filter((o) => o.status === 'created' || o.status === 'complete')
  for (const [ticketId, held] of groupBy(active, (o) => o.ticketId)) {
    if (held.length < 2) continue
    out.push({
      rule: 'ticket-double-booked',
      message: `${held.length} active orders (${held.map((o) => o.status).join(', ')})`,
      ids: { ticket: ticketId, orders: held.map((o) => o.id) },
    })
  }

  for (const t of s.tickets) {
    const order = t.orderId ? orderById.get(t.orderId) : undefined
    const ids = { ticket: t.id, order: t.orderId ?? '-' }
    if (t.status === 'reserved') {
      const why = !order
        ? 'its order is unknown to orders'
        : order.status !== 'created'
          ? `its order is ${order.status}`
          : late(order.expiresAt)
            ? `its order expired at ${order.expiresAt.toISOString()}`
            : undefined
      if (why) out.push({ rule: 'reserved-without-live-order', message: why, ids })
    }
    if (t.status !== 'sold' && t.faceValue !== null) {
      const max = maxPrice(t.faceValue, options.resalePriceCap)
      if (t.price > max) {
        out.push({
          rule: 'price-above-cap',
          message: `price ${t.price} > ${max} (face value ${t.faceValue} × ${options.resalePriceCap})`,
          ids: { ticket: t.id },
        })
      }
    }
    if (t.status === 'sold' && order?.status !== 'complete') {
      const why = order ? `its order is ${order.status}` : 'its order is unknown to orders'
      out.push({ rule: 'sold-without-complete-order', message: why, ids })
    }
  }

  for (const o of s.orders) {
    const ids = { order: o.id, ticket: o.ticketId }
    if (o.status === 'complete') {
      const t = ticketById.get(o.ticketId)
      if (t?.status !== 'sold' || t.orderId !== o.id) {
        const why = t ? `the ticket is ${t.status} (order ${t.orderId ?? '-'})` : 'no such ticket'
        out.push({ rule: 'complete-order-not-sold', message: why, ids })
      }
      // Refunded after the sale (a missed delivery) is paid for all the same, and given back.
      const refundedAfterSale = o.refundedAt !== null && refunded.has(o.id)
      if (!succeeded.has(o.id) && !refundedAfterSale) {
        out.push({ rule: 'complete-without-payment', message: 'no succeeded payment', ids })
      }
    }
    if (o.status === 'created' && o.expiresAt > options.now && late(o.createdAt)) {
      const t = ticketById.get(o.ticketId)
      if (t?.status !== 'reserved' || t.orderId !== o.id) {
        const why = t ? `the ticket is ${t.status} (order ${t.orderId ?? '-'})` : 'no such ticket'
        out.push({ rule: 'live-order-not-holding', message: why, ids })
      }
    }
    if (o.status === 'created' && late(o.expiresAt)) {
      out.push({
        rule: 'hold-past-expiry',
        message: `created, expired at ${o.expiresAt.toISOString()}`,
        ids,
      })
    }
  }

  for (const [orderId, paid] of succeeded) {
    const order = orderById.get(orderId)
    const ids = { order: orderId, payments: paid.map((p) => p.id) }
    if (paid.length > 1) {
      out.push({ rule: 'paid-twice', message: `${paid.length} succeeded payments`, ids })
    }
    if (order?.status === 'cancelled') {
      out.push({
        rule: 'charged-for-cancelled-order',
        message: `the order is cancelled${order.refundedAt ? ' (a refund was recorded)' : ''} and the payment is not refunded`,
        ids,
      })
    }
  }

  for (const d of s.due) {
    if (late(d.dueAt)) {
      out.push({
        rule: 'due-past-time',
        message: `due at ${d.dueAt.toISOString()}`,
        ids: { order: d.orderId },
      })
    }
  }

  const replicaTickets = new Map(s.ticketReplica.map((t) => [t.id, t]))
  for (const t of s.tickets) {
    const copy = replicaTickets.get(t.id)
    if (!copy) {
      out.push({ rule: 'ticket-replica-missing', message: 'not in orders', ids: { ticket: t.id } })
      continue
    }
    const diff = differences(copy, t, ['version', 'status', 'price', 'title'])
    if (diff.length > 0) {
      out.push({
        rule: 'ticket-replica-diverged',
        message: `replica vs tickets: ${diff.join(', ')}`,
        ids: { ticket: t.id },
      })
    }
  }
  for (const copy of s.ticketReplica) {
    if (!ticketById.has(copy.id)) {
      out.push({
        rule: 'ticket-replica-orphan',
        message: 'not in tickets',
        ids: { ticket: copy.id },
      })
    }
  }

  const replicaOrders = new Map(s.orderReplica.map((o) => [o.id, o]))
  for (const o of s.orders) {
    const copy = replicaOrders.get(o.id)
    if (!copy) {
      out.push({ rule: 'order-replica-missing', message: 'not in payments', ids: { order: o.id } })
      continue
    }
    const source = {
      status: copyStatus[o.status] ?? o.status,
      version: o.version,
      price: s.orderPrices.get(o.id) ?? copy.price,
    }
    const diff = differences(copy, { ...copy, ...source }, ['status', 'version', 'price'])
    if (diff.length > 0) {
      out.push({
        rule: 'order-replica-diverged',
        message: `replica vs orders: ${diff.join(', ')}`,
        ids: { order: o.id },
      })
    }
  }
  for (const copy of s.orderReplica) {
    if (!orderById.has(copy.id)) {
      out.push({ rule: 'order-replica-orphan', message: 'not in orders', ids: { order: copy.id } })
    }
  }

  for (const [service, rows] of groupBy(
    s.outbox.filter((r) => r.sentAt === null && late(r.createdAt)),
    (r) => r.service,
  )) {
    out.push({
      rule: 'outbox-unsent',
      message: `${rows.length} unsent row(s) in ${service}.outbox`,
      ids: { service, events: rows.map((r) => r.eventId) },
    })
  }

  const missed = s.outbox.flatMap((r) =>
    r.sentAt !== null && late(r.createdAt)
      ? (consumersOf.get(r.type) ?? [])
          .filter((group) => !s.processed.get(group)?.has(r.eventId))
          .map((group) => ({ group, row: r }))
      : [],
  )
  for (const [key, list] of groupBy(missed, (m) => `${m.group} ${m.row.type}`)) {
    const [group, type] = key.split(' ') as [string, string]
    out.push({
      rule: 'event-not-processed',
      message: `${list.length} ${type} event(s) never applied by ${group}`,
      ids: { group, type, events: list.map((m) => m.row.eventId) },
    })
  }
  out.push(...moneyViolations(s, options))
  return out
}
