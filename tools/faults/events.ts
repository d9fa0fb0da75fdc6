import { baseTopicOf, type Db, rowsOf, type Subject } from '@twtix/common'
import { type SQL, sql } from 'drizzle-orm'
import kafkajs, { type Admin, type Producer } from 'kafkajs'
import { consumersOf } from '../invariants/consumers.ts'
import type { ServiceDbs, ServiceName } from '../invariants/snapshot.ts'
import { delay, waitFor } from '../lib/processes.ts'

type OutboxRow = { id: number; topic: string; key: string; type: string; payload: string }

/** A message as the suite publishes it, straight to a topic, bypassing every service. */
export type Injected = { topic: string; key: string; value: string; type: string; eventId: string }

/** The consumer groups that read each topic. */
export const groupsOfTopic: Map<string, string[]> = (() => {
  const map = new Map<string, Set<string>>()
  for (const [subject, groups] of consumersOf) {
    const topic = baseTopicOf(subject as Subject)
    const set = map.get(topic) ?? new Set<string>()
    for (const g of groups) set.add(g)
    map.set(topic, set)
  }
  return new Map([...map].map(([t, s]) => [t, [...s].sort()]))
})()

const query = async <T>(db: Db, q: SQL) => rowsOf<T>(await db.execute(q))

/**
 * Tickets that are finished: sold, and unchanged for a while, so nothing should move them any
 * more, whatever is delivered again.
 */
export async function finishedTickets(dbs: ServiceDbs, limit: number): Promise<string[]> {
  const rows = await query<{ id: string }>(
    dbs.tickets,
    sql`select id from tickets.tickets where status = 'sold'
      and updated_at < now() - interval '5 seconds' order by random() limit ${limit}`,
  )
  return rows.map((r) => r.id)
}

async function ordersOf(dbs: ServiceDbs, ticketIds: string[]): Promise<string[]> {
  const rows = await query<{ id: string }>(
    dbs.orders,
    sql`select id from orders.orders where ticket_id in ${list(ticketIds)}`,
  )
  return rows.map((r) => r.id)
}

const list = (ids: string[]) =>
  sql`(${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`

/** Every event published about these tickets and their orders, per service, in outbox order. */
export async function historyOf(dbs: ServiceDbs, ticketIds: string[]): Promise<OutboxRow[]> {
  const orderIds = await ordersOf(dbs, ticketIds)
  const keys: Record<ServiceName, string[]> = {
    tickets: ticketIds,
    orders: ticketIds,
    payments: orderIds,
    expiration: orderIds,
  }
  const rows: OutboxRow[] = []
  for (const [service, ids] of Object.entries(keys) as [ServiceName, string[]][]) {
    if (ids.length === 0) continue
    rows.push(
      ...(await query<OutboxRow>(
        dbs[service],
        sql`select id, topic, key, type, payload from ${sql.raw(service)}.outbox
          where key in ${list(ids)} and sent_at is not null order by id`,
      )),
    )
  }
  return rows
}

/**
 * Everything every service keeps about these tickets and their orders, as text: equal before and
 * after a delivery means the delivery changed nothing.
 */
export async function stateOf(dbs: ServiceDbs, ticketIds: string[]): Promise<string> {
  const orderIds = await ordersOf(dbs, ticketIds)
  const parts = await Promise.all([
    query(
      dbs.tickets,
      sql`select row_to_json(t)::text as row from tickets.tickets t where id in ${list(ticketIds)} order by id`,
    ),
    query(
      dbs.orders,
      sql`select row_to_json(t)::text as row from orders.tickets t where id in ${list(ticketIds)} order by id`,
    ),
    query(
      dbs.orders,
      sql`select row_to_json(o)::text as row from orders.orders o where ticket_id in ${list(ticketIds)} order by id`,
    ),
    query(
      dbs.payments,
      sql`select row_to_json(o)::text as row from payments.orders o where id in ${list(orderIds)} order by id`,
    ),
    query(
      dbs.payments,
      sql`select row_to_json(p)::text as row from payments.payments p where order_id in ${list(orderIds)} order by id`,
    ),
  ])
  return JSON.stringify(parts)
}

/** Pending due rows of these orders (a replayed order.created schedules one that soon fires). */
export async function dueRowsOf(dbs: ServiceDbs, ticketIds: string[]): Promise<number> {
  const orderIds = await ordersOf(dbs, ticketIds)
  if (orderIds.length === 0) return 0
  const rows = await query<{ n: number }>(
    dbs.expiration,
    sql`select count(*)::int as n from expiration.due where order_id in ${list(orderIds)}`,
  )
  return Number(rows[0]?.n ?? 0)
}

/** Copies of real events: as they were (a duplicate) or under a new event id (a stranger). */
export function copies(rows: OutboxRow[], options: { freshIds: boolean }): Injected[] {
  return rows.map((r) => {
    const envelope = JSON.parse(r.payload) as { id: string; type: string }
    const eventId = options.freshIds ? crypto.randomUUID() : envelope.id
    return {
      topic: r.topic,
      key: r.key,
      type: r.type,
      eventId,
      value: JSON.stringify({ ...envelope, id: eventId }),
    }
  })
}

/**
 * One entity's events newest first, per topic: the order in which a replica must not apply them.
 * Only subjects that carry a version are reordered under new ids; the others are covered by
 * duplicates of their own ids.
 */
export function outOfOrder(rows: OutboxRow[]): Injected[] {
  const versioned = rows.filter((r) => r.type.startsWith('ticket.') || r.type.startsWith('order.'))
  const byEntity = new Map<string, OutboxRow[]>()
  for (const r of versioned)
    byEntity.set(`${r.topic}|${r.key}`, [...(byEntity.get(`${r.topic}|${r.key}`) ?? []), r])
  return [...byEntity.values()].flatMap((history) => [
    ...copies([...history].reverse(), { freshIds: true }),
    ...copies([...history].reverse(), { freshIds: false }),
  ])
}

/**
 * A message no schema accepts: a ticket.updated from its owner whose price is text and whose fields
 * are missing. Only the groups that handle ticket.updated read its data, so one group (orders)
 * dead-letters it; the others on the topic skip it as a subject they do not handle.
 */
export function poisonMessage(key: string): Injected {
  const eventId = crypto.randomUUID()
  return {
    topic: 'tickets',
    key,
    type: 'ticket.updated',
    eventId,
    value: JSON.stringify({
      id: eventId,
      type: 'ticket.updated',
      source: 'tickets',
      occurredAt: new Date().toISOString(),
      data: { id: key, price: 'free' },
    }),
  }
}

export type Publisher = {
  /** Publishes in order, one at a time; returns where each message landed. */
  publish(messages: Injected[]): Promise<{ topic: string; partition: number; offset: bigint }[]>
  /** Waits until every group reading each topic has committed past these offsets. */
  waitConsumed(
    placed: { topic: string; partition: number; offset: bigint }[],
    timeoutMs: number,
  ): Promise<boolean>
  deadLetters(topic: string): Promise<number>
  /** Messages not yet committed by the groups that read them, over every topic. */
  lag(): Promise<number>
  close(): Promise<void>
}

export async function createPublisher(brokers: string[]): Promise<Publisher> {
  const kafka = new kafkajs.Kafka({
    clientId: 'twtix-faults',
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5000 },
  })
  let producer: Producer | undefined
  let admin: Admin | undefined
  const connected = async () => {
    if (!producer) {
      producer = kafka.producer({ allowAutoTopicCreation: false })
      await producer.connect()
    }
    if (!admin) {
      admin = kafka.admin()
      await admin.connect()
    }
    return { producer, admin }
  }
  return {
    async publish(messages) {
      const { producer: p } = await connected()
      const placed = []
      for (const m of messages) {
        const [meta] = await p.send({
          topic: m.topic,
          messages: [
            {
              key: m.key,
              value: m.value,
              headers: { 'event-id': m.eventId, 'event-type': m.type },
            },
          ],
        })
        if (!meta) throw new Error(`no answer publishing to ${m.topic}`)
        placed.push({
          topic: m.topic,
          partition: meta.partition,
          offset: BigInt(meta.baseOffset ?? meta.offset ?? '0'),
        })
      }
      return placed
    },
    async waitConsumed(placed, timeoutMs) {
      const { admin: a } = await connected()
      return waitFor(
        async () => {
          for (const p of placed) {
            for (const groupId of groupsOfTopic.get(p.topic) ?? []) {
              const [topic] = await a.fetchOffsets({ groupId, topics: [p.topic] })
              const committed = topic?.partitions.find((x) => x.partition === p.partition)
              if (!committed || BigInt(committed.offset) <= p.offset) return false
            }
          }
          return true
        },
        timeoutMs,
        500,
      )
    },
    async deadLetters(topic) {
      const { admin: a } = await connected()
      const offsets = await a.fetchTopicOffsets(topic)
      return offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0)
    },
    async lag() {
      const { admin: a } = await connected()
      let total = 0
      for (const [topic, groups] of groupsOfTopic) {
        const high = await a.fetchTopicOffsets(topic)
        for (const groupId of groups) {
          const [committed] = await a.fetchOffsets({ groupId, topics: [topic] })
          for (const p of high) {
            const at = committed?.partitions.find((x) => x.partition === p.partition)?.offset
            const from = at === undefined || at === '-1' ? BigInt(p.low) : BigInt(at)
            total += Number(BigInt(p.high) - from)
          }
        }
      }
      return total
    },
    async close() {
      await producer?.disconnect().catch(() => {})
      await admin?.disconnect().catch(() => {})
      await delay(0)
    },
  }
}
