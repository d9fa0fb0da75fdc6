/**
 * The limits measured beside each scenario, in the same run on the same machine: the create-order
 * transaction driven directly (postgres.js, or PGlite for the embedded start), one database round
 * trip, a bare Hono route, and a kafkajs produce → consume round trip on the same broker.
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import kafkajs from 'kafkajs'
import postgres from 'postgres'
import { type Latency, latency } from '../lib/stats.ts'
import { forkTs, root } from './children.ts'
import { type CpuSource, measureCpu, perOperation } from './cpu.ts'

/** One database connection pool, either driver: what the limits need of it. */
type Driver = {
  exec(statement: string): Promise<void>
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>
  transaction(fn: (q: Driver['query']) => Promise<void>): Promise<void>
  close(): Promise<void>
}

export type SqlTarget =
  | { kind: 'postgres'; adminUrl: string; database: string }
  | { kind: 'pglite' }

async function postgresDriver(url: string, max: number): Promise<Driver> {
  const sql = postgres(url, { max, onnotice: () => {} })
  return {
    exec: async (statement) => void (await sql.unsafe(statement)),
    query: async (text, params = []) => [...(await sql.unsafe(text, params as never[]))],
    transaction: async (fn) =>
      void (await sql.begin(async (tx) => {
        await fn(async (text, params = []) => [...(await tx.unsafe(text, params as never[]))])
      })),
    close: () => sql.end({ timeout: 5 }),
  }
}

async function pgliteDriver(): Promise<Driver> {
  const { PGlite } = await import('@electric-sql/pglite')
  const db = new PGlite()
  await db.waitReady
  const query: Driver['query'] = async (text, params = []) =>
    (await db.query<Record<string, unknown>>(text, params)).rows
  return {
    exec: async (statement) => void (await db.exec(statement)),
    query,
    transaction: async (fn) =>
      void (await db.transaction(async (tx) => {
        await fn(
          async (text, params = []) => (await tx.query<Record<string, unknown>>(text, params)).rows,
        )
      })),
    close: () => db.close(),
  }
}

/** A scratch database: dropped and created again (postgres) or in memory (PGlite). */
export async function scratch(target: SqlTarget, max: number): Promise<Driver> {
  if (target.kind === 'pglite') return pgliteDriver()
  const admin = postgres(target.adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`drop database if exists "${target.database}" with (force)`)
    await admin.unsafe(`create database "${target.database}"`)
  } finally {
    await admin.end()
  }
  const url = new URL(target.adminUrl)
  url.pathname = `/${target.database}`
  return postgresDriver(url.toString(), max)
}

export async function dropScratch(target: SqlTarget) {
  if (target.kind === 'pglite') return
  const admin = postgres(target.adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`drop database if exists "${target.database}" with (force)`)
  } finally {
    await admin.end()
  }
}

/** Orders' own migrations (the same tables and partial unique index), then `tickets` tickets. */
export async function seedOrdersSchema(db: Driver, tickets: number) {
  const migrations = readMigrationFiles({
    migrationsFolder: resolve(root, 'drizzle/orders'),
  })
  for (const m of migrations) for (const s of m.sql) if (s.trim()) await db.exec(s)
  const seller = crypto.randomUUID()
  await db.query(
    `insert into orders.tickets (id, title, price, user_id, status, order_id, version)
     select gen_random_uuid(), 'Bench ticket ' || g, 5000, $1, 'available', null, 0
     from generate_series(1, ${tickets}) g`,
    [seller],
  )
}

export type RateFigure = {
  count: number
  elapsedMs: number
  perSecond: number
  latency: Latency
  /** CPU ms per transaction: the database's backends and the driver's process. */
  cpu?: ReturnType<typeof perOperation>
}

/**
 * The create-order transaction without the service: orders' own migrations (the same tables and
 * the partial unique index), then at `concurrency` at once for `seconds`: read the ticket replica
 * row, insert the order (on conflict do nothing, returning), insert the outbox row, commit.
 */
export async function orderSqlLimit(
  target: SqlTarget,
  o: { concurrency: number; seconds: number; tickets: number; cpu?: CpuSource },
): Promise<RateFigure> {
  const db = await scratch(target, o.concurrency)
  try {
    await seedOrdersSchema(db, o.tickets)
    const ids = (await db.query('select id from orders.tickets')).map((r) => r.id as string)
    const buyer = crypto.randomUUID()
    const samples: number[] = []
    let next = 0
    const started = performance.now()
    const until = started + o.seconds * 1000
    let ended = started
    const cpuDone = await measureCpu(
      o.cpu && target.kind === 'postgres' ? { db: o.cpu.db, dbPrefix: target.database } : undefined,
    )
    const clientCpu = process.cpuUsage()
    const worker = async () => {
      while (performance.now() < until && next < ids.length) {
        const ticketId = ids[next++] as string
        const t0 = performance.now()
        await db.transaction(async (q) => {
          const [ticket] = await q(
            `select "id", "title", "price", "user_id", "status", "order_id", "version"
             from "orders"."tickets" where "orders"."tickets"."id" = $1`,
            [ticketId],
          )
          if (!ticket) throw new Error('ticket missing')
          const now = new Date()
          const orderId = crypto.randomUUID()
          const [order] = await q(
            `insert into "orders"."orders" ("id", "user_id", "ticket_id", "status", "expires_at",
               "version", "created_at", "payment_error", "payment_error_at", "refunded_at")
             values ($1, $2, $3, $4, $5, $6, $7, default, default, default)
             on conflict do nothing
             returning "id", "user_id", "ticket_id", "status", "expires_at", "version",
               "created_at", "payment_error", "payment_error_at", "refunded_at"`,
            [orderId, buyer, ticketId, 'created', new Date(now.getTime() + 900_000), 0, now],
          )
          if (!order) throw new Error('order not inserted')
          const eventId = crypto.randomUUID()
          const payload = JSON.stringify({
            id: eventId,
            type: 'order.created',
            source: 'orders',
            occurredAt: now.toISOString(),
            data: {
              id: orderId,
              userId: buyer,
              status: 'created',
              expiresAt: new Date(now.getTime() + 900_000).toISOString(),
              version: 0,
              ticket: { id: ticketId, title: ticket.title, price: ticket.price },
            },
          })
          await q(
            `insert into "orders"."outbox" ("id", "event_id", "type", "topic", "key", "payload",
               "created_at", "sent_at")
             values (default, $1, $2, $3, $4, $5, default, default)`,
            [eventId, 'order.created', 'orders', orderId, payload],
          )
        })
        ended = performance.now()
        samples.push(ended - t0)
      }
    }
    await Promise.all(Array.from({ length: o.concurrency }, worker))
    const elapsedMs = ended - started
    const used = process.cpuUsage(clientCpu)
    const cpuMs = {
      ...(await cpuDone()),
      [target.kind === 'pglite' ? 'PGlite (in this process)' : 'postgres.js client']:
        (used.user + used.system) / 1000,
    }
    return {
      count: samples.length,
      elapsedMs,
      perSecond: (samples.length / elapsedMs) * 1000,
      latency: latency(samples),
      cpu: perOperation(cpuMs, samples.length),
    }
  } finally {
    await db.close()
    await dropScratch(target)
  }
}

/** `select 1`, one after another on one connection: one database round trip. */
export async function roundTrip(target: SqlTarget, samples: number): Promise<Latency> {
  const db =
    target.kind === 'pglite' ? await pgliteDriver() : await postgresDriver(target.adminUrl, 1)
  try {
    const times: number[] = []
    for (let i = 0; i < samples + 20; i++) {
      const t0 = performance.now()
      await db.query('select 1')
      if (i >= 20) times.push(performance.now() - t0)
    }
    return latency(times)
  } finally {
    await db.close()
  }
}

/**
 * A kafkajs produce → consume round trip on the same broker, its own topic: the bus's producer
 * settings (idempotent, acks=all, one request in flight) and its consumer's fetch wait (500 ms).
 */
export async function kafkaRoundTrip(
  brokers: string[],
  topic: string,
  samples: number,
): Promise<Latency> {
  const kafka = new kafkajs.Kafka({
    clientId: 'twtix-bench',
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  const consumer = kafka.consumer({ groupId: topic, maxWaitTimeInMs: 500 })
  const waiting = new Map<string, () => void>()
  try {
    await producer.connect()
    await consumer.connect()
    // A topic of its own, new: from its beginning, so no message falls before the consumer's start.
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    let joined: () => void = () => {}
    const join = new Promise<void>((r) => {
      joined = r
    })
    consumer.on(consumer.events.GROUP_JOIN, () => joined())
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = message.value?.toString() ?? ''
        waiting.get(id)?.()
      },
    })
    await join
    const times: number[] = []
    const warmup = 10
    for (let i = 0; i < samples + warmup; i++) {
      const id = crypto.randomUUID()
      const received = new Promise<void>((r) => waiting.set(id, r))
      const t0 = performance.now()
      await producer.send({ topic, acks: -1, messages: [{ key: id, value: id }] })
      await Promise.race([
        received,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('kafka round trip: no message in 10 s')), 10_000),
        ),
      ])
      if (i >= warmup) times.push(performance.now() - t0)
      waiting.delete(id)
    }
    return latency(times)
  } finally {
    await consumer.disconnect().catch(() => {})
    await producer.disconnect().catch(() => {})
    await admin.deleteTopics({ topics: [topic] }).catch(() => {})
    await admin.deleteGroups([topic]).catch(() => {})
    await admin.disconnect()
  }
}

/** Starts the bare route in its own process with these exact bytes; resolves with its origin. */
export async function startBareRoute(
  dir: string,
  body: string,
  link: string | null,
): Promise<{ url: string; pid?: number; stop(): void }> {
  const file = resolve(dir, 'bare-route-body.json')
  writeFileSync(file, body)
  const child = forkTs('bare-route.ts', [file, link ?? ''])
  const port = await new Promise<number>((ok, fail) => {
    child.once('message', (m: { port: number }) => ok(m.port))
    child.once('exit', (code) => fail(new Error(`bare route exited (${code})`)))
  })
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGTERM') }
}
