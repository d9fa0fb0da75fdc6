import type { Db } from '@twtix/common'
import { eq, isNull } from 'drizzle-orm'
import { services } from '../../embedded/services.ts'
import * as expiration from '../../services/expiration/src/db/schema.ts'
import * as orders from '../../services/orders/src/db/schema.ts'
import * as payments from '../../services/payments/src/db/schema.ts'
import * as tickets from '../../services/tickets/src/db/schema.ts'

/** The services whose data the invariants relate; one Drizzle database each (or one for all). */
export type ServiceName = 'tickets' | 'orders' | 'payments' | 'expiration'
export type ServiceDbs = Record<ServiceName, Db>

const onTheBus = services.flatMap((s) => (s.events ? [{ name: s.name, ...s.events }] : []))
export const serviceNames = onTheBus.map((s) => s.name) as ServiceName[]
const outboxes = Object.fromEntries(onTheBus.map((s) => [s.name, s.outbox])) as Record<
  ServiceName,
  (typeof onTheBus)[number]['outbox']
>
const processedTables = Object.fromEntries(onTheBus.map((s) => [s.name, s.processed])) as Record<
  ServiceName,
  (typeof onTheBus)[number]['processed']
>

export type OutboxRow = {
  service: ServiceName
  eventId: string
  type: string
  createdAt: Date
  sentAt: Date | null
}

/** Everything the invariants look at, read from each service's own tables. */
export type Snapshot = {
  tickets: {
    id: string
    title: string
    price: number
    /** Null for a listing without a face value (made without an event). */
    faceValue: number | null
    status: string
    orderId: string | null
    version: number
  }[]
  orders: {
    id: string
    ticketId: string
    status: string
    expiresAt: Date
    createdAt: Date
    version: number
    refundedAt: Date | null
  }[]
  /** orders' replica of tickets. */
  ticketReplica: { id: string; title: string; price: number; status: string; version: number }[]
  /** payments' replica of orders. */
  orderReplica: {
    id: string
    status: string
    price: number
    version: number
    sellerId: string | null
    buyerFee: number | null
    sellerFee: number | null
  }[]
  payments: { id: string; orderId: string; status: string; amount: number }[]
  payouts: {
    id: string
    orderId: string
    status: string
    amount: number
    dueAt: Date
    paidAt: Date | null
    claimId: string | null
    reversalDueAt: Date | null
    eventId: string | null
    transferId: string | null
    /** After a failed transfer, the worker's next try. */
    nextAttemptAt: Date | null
  }[]
  /** The offline gateway's transfers (payments.offline_transfers): what was sent, per key. */
  transfers: { idempotencyKey: string; id: string; payoutId: string | null; amount: number }[]
  /** payments' replica of events: when payouts may be made. */
  eventReplica: { id: string; startsAt: Date; endsAt: Date | null }[]
  due: { orderId: string; dueAt: Date }[]
  outbox: OutboxRow[]
  /** The price each order was created at, as its order.created event announced it. */
  orderPrices: Map<string, number>
  /** Per consumer group (the service name): the event ids it has applied. */
  processed: Map<string, Set<string>>
}

/** Reads a snapshot. Each service is read on its own (they may live in separate databases). */
export async function readSnapshot(dbs: ServiceDbs): Promise<Snapshot> {
  const [ticketRows, orderRows, ticketReplica, orderReplica, paymentRows, due] = await Promise.all([
    dbs.tickets
      .select({
        id: tickets.tickets.id,
        title: tickets.tickets.title,
        price: tickets.tickets.price,
        faceValue: tickets.tickets.faceValue,
        status: tickets.tickets.status,
        orderId: tickets.tickets.orderId,
        version: tickets.tickets.version,
      })
      .from(tickets.tickets),
    dbs.orders
      .select({
        id: orders.orders.id,
        ticketId: orders.orders.ticketId,
        status: orders.orders.status,
        expiresAt: orders.orders.expiresAt,
        createdAt: orders.orders.createdAt,
        version: orders.orders.version,
        refundedAt: orders.orders.refundedAt,
      })
      .from(orders.orders),
    dbs.orders
      .select({
        id: orders.tickets.id,
        title: orders.tickets.title,
        price: orders.tickets.price,
        status: orders.tickets.status,
        version: orders.tickets.version,
      })
      .from(orders.tickets),
    dbs.payments
      .select({
        id: payments.orders.id,
        status: payments.orders.status,
        price: payments.orders.price,
        version: payments.orders.version,
        sellerId: payments.orders.sellerId,
        buyerFee: payments.orders.buyerFee,
        sellerFee: payments.orders.sellerFee,
      })
      .from(payments.orders),
    dbs.payments
      .select({
        id: payments.payments.id,
        orderId: payments.payments.orderId,
        status: payments.payments.status,
        amount: payments.payments.amount,
      })
      .from(payments.payments),
    dbs.expiration
      .select({ orderId: expiration.due.orderId, dueAt: expiration.due.dueAt })
      .from(expiration.due),
  ] as const)
  const payouts = await dbs.payments
    .select({
      id: payments.payouts.id,
      orderId: payments.payouts.orderId,
      status: payments.payouts.status,
      amount: payments.payouts.amount,
      dueAt: payments.payouts.dueAt,
      paidAt: payments.payouts.paidAt,
      claimId: payments.payouts.claimId,
      reversalDueAt: payments.payouts.reversalDueAt,
      eventId: payments.payouts.eventId,
      transferId: payments.payouts.transferId,
      nextAttemptAt: payments.payouts.nextAttemptAt,
    })
    .from(payments.payouts)
  const transfers = await dbs.payments
    .select({
      idempotencyKey: payments.offlineTransfers.idempotencyKey,
      id: payments.offlineTransfers.id,
      payoutId: payments.offlineTransfers.payoutId,
      amount: payments.offlineTransfers.amount,
    })
    .from(payments.offlineTransfers)
  const eventReplica = await dbs.payments
    .select({
      id: payments.events.id,
      startsAt: payments.events.startsAt,
      endsAt: payments.events.endsAt,
    })
    .from(payments.events)
  const outbox: OutboxRow[] = []
  const processed = new Map<string, Set<string>>()
  for (const service of serviceNames) {
    const table = outboxes[service]
    const rows = await dbs[service]
      .select({
        eventId: table.eventId,
        type: table.type,
        createdAt: table.createdAt,
        sentAt: table.sentAt,
      })
      .from(table)
    for (const row of rows) outbox.push({ service, ...row })
    const done = processedTables[service]
    const ids = await dbs[service]
      .select({ consumer: done.consumer, eventId: done.eventId })
      .from(done)
    for (const { consumer, eventId } of ids) {
      const set = processed.get(consumer) ?? new Set<string>()
      processed.set(consumer, set.add(eventId))
    }
  }
  const created = await dbs.orders
    .select({ payload: orders.outbox.payload })
    .from(orders.outbox)
    .where(eq(orders.outbox.type, 'order.created'))
  const orderPrices = new Map<string, number>()
  for (const { payload } of created) {
    const event = JSON.parse(payload) as { data: { id: string; ticket: { price: number } } }
    orderPrices.set(event.data.id, event.data.ticket.price)
  }
  return {
    tickets: ticketRows,
    orders: orderRows,
    ticketReplica,
    orderReplica,
    payments: paymentRows,
    payouts,
    transfers,
    eventReplica,
    due,
    outbox,
    orderPrices,
    processed,
  }
}

/** How many outbox rows are still unsent, over every service: the cheap "at rest yet?" probe. */
export async function countUnsent(dbs: ServiceDbs): Promise<number> {
  let total = 0
  for (const service of serviceNames) {
    const table = outboxes[service]
    const rows = await dbs[service]
      .select({ eventId: table.eventId })
      .from(table)
      .where(isNull(table.sentAt))
    total += rows.length
  }
  return total
}
