import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
import { services } from '../../embedded/services.ts'
import { type CheckResult, checkInvariants } from '../invariants/check-invariants.ts'
import { openServiceDbs } from '../invariants/databases.ts'
import { LIMITS_OFF } from '../lib/limits.ts'
import { delay, portsInUse } from '../lib/processes.ts'
import { reapStack, type Stack, startStack } from '../lib/stack.ts'
import { replicaPort } from '../topology.ts'
import { createClient } from './client.ts'
import { createPublisher, type Publisher } from './events.ts'
import { type Context, type FaultRecord, plan } from './faults.ts'
import { type Kafka, startKafka, stopKafka } from './kafka.ts'
import { eventLatency } from './latency.ts'
import { type Ledger, startLoad } from './load.ts'
import { type Postgres, startPostgres, stopPostgres } from './postgres.ts'
import { signUpMany } from './races.ts'
import { failed, type Losses, type PayoutsSummary, type Report, renderTable } from './report.ts'
import { duePayouts, settle } from './settle.ts'
import { createStats } from './stats.ts'

// `npm run test:faults [-- --short]`: the marketplace on its own PostgreSQL, Kafka and stack
// (two replicas per service), a steady load through the ingress, one fault after another, then
// the settled state against every invariant. One Markdown table on stdout and in
// test-results/faults.md; the raw numbers in test-results/faults.json.

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..')
const short = process.argv.includes('--short')
const work = resolve(root, '.faults')
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const ports = {
  pg: env('FAULTS_PG_PORT', 5544),
  kafka: env('FAULTS_KAFKA_PORT', 19092),
  ingress: env('FAULTS_INGRESS_PORT', 8190),
  // The services on 4001…, 4101…: clear of a developer's `npm run stack` on 3001….
  offset: env('FAULTS_PORT_OFFSET', 1000),
}
const HOLD_SECONDS = 3
// A payout falls due when its buyer pays (the load's listings have no event): the payouts worker
// transfers money all through the faults.
const PAYOUT_DELAY_DAYS = 0
const WARM_UP_MS = 10_000
const REPLICAS = 2
const CONCURRENCY = short ? 6 : 8

const started = Date.now()
const log = (message: string) => {
  const t = Math.round((Date.now() - started) / 1000)
  console.log(`faults [${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}] ${message}`)
}

let postgres: Postgres | undefined
let kafka: Kafka | undefined
let stack: Stack | undefined
let bus: Publisher | undefined
let closeDbs: (() => Promise<void>) | undefined
let cleaning: Promise<void> | undefined

/** Stops whatever this run started, in reverse order; safe to call twice. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    const step = async (what: string, fn?: () => Promise<void>) => {
      if (!fn) return
      await fn().catch((err) =>
        log(`cleanup: ${what}: ${err instanceof Error ? err.message : err}`),
      )
    }
    await step('bus', bus && (() => (bus as Publisher).close()))
    await step('stack', stack?.stop)
    // Also what was still starting when the run was interrupted: found by its pid files.
    await step('stack', () => reapStack(resolve(work, 'stack')))
    await step('databases', closeDbs)
    await step('kafka', () => stopKafka({ root, home: resolve(work, 'kafka') }))
    await step('postgres', () => stopPostgres(resolve(work, 'pg')))
    log(`stopped; logs in ${work}/stack/logs, ${work}/kafka/broker.log, ${work}/pg/postgres.log`)
  })()
  return cleaning
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`)
    void cleanup().finally(() => process.exit(130))
  })
}
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err) => {
    log(`${event}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    void cleanup().finally(() => process.exit(1))
  })
}

/** Each payout paid (or paid and reversed), and the fault in progress when it was, if any. */
function payoutsOf(check: CheckResult, ledger: Ledger, records: FaultRecord[]): PayoutsSummary {
  const paid = check.snapshot.payouts.filter((p) => p.paidAt)
  const duringFault: Record<string, number> = {}
  for (const p of paid) {
    const at = p.paidAt?.getTime() ?? 0
    const fault = records.find((r) => (r.startedAt ?? 0) <= at && at <= (r.endedAt ?? 0))
    if (fault) duringFault[fault.name] = (duringFault[fault.name] ?? 0) + 1
  }
  return {
    total: check.snapshot.payouts.length,
    paid: paid.length,
    duringFault,
    blocked: check.snapshot.payouts.filter((p) => p.status === 'blocked').length,
    onboarded: ledger.onboarded,
  }
}

function lossesOf(check: CheckResult, ledger: Ledger, now: Date): Losses {
  const s = check.snapshot
  const orders = new Map(s.orders.map((o) => [o.id, o]))
  const ticketOf = (orderId: string) => orders.get(orderId)?.ticketId ?? `order ${orderId}`
  const twice = new Set<string>()
  const count = (keys: string[]) => {
    const seen = new Map<string, number>()
    for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1)
    for (const [k, c] of seen) if (c > 1) twice.add(k)
  }
  count(s.orders.filter((o) => o.status === 'complete').map((o) => o.ticketId))
  count(s.payments.filter((p) => p.status === 'succeeded').map((p) => ticketOf(p.orderId)))
  for (const v of check.violations) {
    if (v.rule === 'ticket-double-booked') twice.add(String(v.ids.ticket))
  }
  const payments = new Map(s.payments.map((p) => [p.id, p]))
  const grace = now.getTime() - 5000
  return {
    ordersLost: [...ledger.orders.keys()].filter((id) => !orders.has(id)),
    soldTwice: [...twice],
    stuckHolds: [
      ...s.orders
        .filter((o) => o.status === 'created' && o.expiresAt.getTime() < grace)
        .map((o) => o.id),
      ...s.due.filter((d) => d.dueAt.getTime() < grace).map((d) => `due ${d.orderId}`),
    ],
    eventsLost: check.violations
      .filter((v) => v.rule === 'event-not-processed' || v.rule === 'outbox-unsent')
      .flatMap((v) => v.ids.events as string[]),
    paidNotDelivered: [...ledger.payments].flatMap(([id, { orderId }]) => {
      const p = payments.get(id)
      if (p?.status === 'refunded') return []
      if (p?.status === 'succeeded' && orders.get(orderId)?.status === 'complete') return []
      return [id]
    }),
    payoutsPaidTwice: check.violations
      .filter((v) => v.rule === 'payout-transferred-twice')
      .map((v) => String(v.ids.payout)),
    payoutsUnpaid: duePayouts(s.payouts, now).map((p) => p.id),
  }
}

/** Stops what an interrupted earlier run left, then makes sure every port this run needs is free. */
async function preflight() {
  await reapStack(resolve(work, 'stack'))
  await stopKafka({ root, home: resolve(work, 'kafka') })
  await stopPostgres(resolve(work, 'pg'))
  const needed = [
    ports.pg,
    ports.kafka,
    ports.kafka + 1,
    ports.kafka + 2,
    ports.ingress,
    ...services.flatMap((s) =>
      Array.from({ length: REPLICAS }, (_, n) => replicaPort(s.port, n) + ports.offset),
    ),
  ]
  const busy = await portsInUse(needed)
  if (busy.length > 0) {
    throw new Error(
      `ports in use: ${busy.join(', ')}; move the suite with FAULTS_PG_PORT, FAULTS_KAFKA_PORT, FAULTS_INGRESS_PORT or FAULTS_PORT_OFFSET`,
    )
  }
}

async function main(): Promise<number> {
  mkdirSync(work, { recursive: true })
  log(`${short ? 'short' : 'full'} run; infrastructure in ${work}`)
  await preflight()
  postgres = await startPostgres({ dir: resolve(work, 'pg'), port: ports.pg })
  log(`PostgreSQL on ${postgres.url}`)
  kafka = await startKafka({
    root,
    home: resolve(work, 'kafka'),
    port: ports.kafka,
  })
  log(`Kafka on ${kafka.brokers.join(',')}`)
  stack = await startStack({
    root,
    dir: resolve(work, 'stack'),
    pgUrl: postgres.url,
    brokers: kafka.brokers,
    ingressPort: ports.ingress,
    portOffset: ports.offset,
    replicas: REPLICAS,
    env: {
      ORDER_HOLD_SECONDS: String(HOLD_SECONDS),
      PAYOUT_DELAY_DAYS: String(PAYOUT_DELAY_DAYS),
      // Every request comes from this one address and a few dozen accounts.
      ...LIMITS_OFF,
      LOG_LEVEL: 'info',
      // Each service signs in to the suite's broker as itself, as on a developer's stack.
      KAFKA_CREDENTIALS_FILE: kafka.credentialsFile,
    },
  })
  const setupMs = Date.now() - started
  log(`stack ready at ${stack.ingress} (${stack.labels.length} processes)`)
  const opened = openServiceDbs({ pgUrl: postgres.url })
  closeDbs = opened.close
  const dbs = opened.dbs
  bus = await createPublisher(kafka.brokers)
  const stats = createStats()
  const call = createClient(stack.ingress, stats)
  const loadStartedAt = Date.now()
  const load = startLoad({ call, concurrency: CONCURRENCY, holdSeconds: HOLD_SECONDS })
  const ctx: Context = {
    stack,
    kafka,
    postgres,
    dbs,
    bus,
    call,
    stats,
    load,
    gapMs: short ? 2000 : 8000,
    // Sign-ups hash passwords: the racers join a few at a time while the faults run.
    racers: signUpMany(call, 200, 4),
  }
  ctx.racers.catch(() => {})
  // Warm-up, then a stretch without faults: the event latency of a healthy system, to compare.
  await delay(WARM_UP_MS + (short ? 10_000 : 30_000))
  log(`load running: ${stats.sent} requests so far`)

  const names = services.map((s) => s.name)
  const records: FaultRecord[] = []
  for (const fault of plan({ short, services: names })) {
    log(`→ ${fault.name}`)
    const startedAt = Date.now()
    const record: FaultRecord = await fault.inject(ctx).then(
      (r) => ({ name: fault.name, ...r, startedAt, endedAt: Date.now() - ctx.gapMs }),
      (err) => ({
        name: fault.name,
        ok: false,
        detail: `the fault step failed: ${err instanceof Error ? err.message : String(err)}`,
        startedAt,
        endedAt: Date.now(),
      }),
    )
    records.push(record)
    log(`  ${record.ok ? 'ok' : 'FAILED'}: ${record.detail} (${stats.sent} requests so far)`)
  }

  log('stopping the load')
  const stopping = Date.now()
  await load.stop()
  const drainMs = Date.now() - stopping
  log('waiting for the system to settle')
  const converged = await settle(dbs, bus, short ? 120_000 : 180_000, {
    payoutDelayDays: PAYOUT_DELAY_DAYS,
  })
  log(converged.converged ? `settled in ${converged.ms} ms` : `NOT settled: ${converged.pending}`)
  const expectedDeadLetters: Record<string, number> = records.some(
    (r) => r.name === 'poison message',
  )
    ? { 'tickets.dlq': 1 }
    : {}
  const now = new Date()
  const check = await checkInvariants({
    dbs,
    kafka: { brokers: kafka.brokers },
    expectDeadLetters: expectedDeadLetters,
    graceMs: 5000,
    now,
    payoutDelayDays: PAYOUT_DELAY_DAYS,
  })
  // A killed consumer holds its partitions until its session times out (10 s): the 12 s after a
  // fault still belong to it; so does the warm-up, while every consumer starts.
  const latency = await eventLatency(dbs, [
    { start: 0, end: loadStartedAt + WARM_UP_MS },
    ...records.map((r) => ({ start: r.startedAt ?? 0, end: (r.endedAt ?? 0) + 12_000 })),
  ])
  const report: Report = {
    mode: short ? 'short' : 'full',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    setup: { replicas: REPLICAS, holdSeconds: HOLD_SECONDS, concurrency: CONCURRENCY, setupMs },
    faults: records,
    requests: {
      sent: stats.sent,
      ok: stats.byKind.ok,
      expected: stats.tallies('expected'),
      failed: stats.tallies('failed'),
    },
    created: {
      orders: load.ledger.orders.size,
      payments: load.ledger.payments.size,
      journeys: load.ledger.journeys,
      recoveries: load.ledger.recoveries,
    },
    losses: lossesOf(check, load.ledger, now),
    payouts: payoutsOf(check, load.ledger, records),
    outboxEvents: check.snapshot.outbox.length,
    latency,
    deadLetters: check.deadLetters ?? {},
    expectedDeadLetters,
    checker: {
      ok: check.violations.length === 0,
      violations: check.violations.map((v) => ({ rule: v.rule, message: v.message, ids: v.ids })),
    },
    converged: {
      ok: converged.converged,
      ms: converged.ms,
      drainMs,
      pending: converged.pending,
    },
  }
  const table = renderTable(report)
  const results = resolve(root, 'test-results')
  mkdirSync(results, { recursive: true })
  writeFileSync(resolve(results, 'faults.md'), `${table}\n`)
  writeFileSync(resolve(results, 'faults.json'), `${JSON.stringify(report, null, 2)}\n`)
  console.log(`\n${table}\n`)
  const why = failed(report)
  log(why.length === 0 ? 'PASS' : `FAIL: ${why.join('; ')}`)
  log(`written to ${results}/faults.md and faults.json`)
  return why.length === 0 ? 0 : 1
}

let code = 1
try {
  code = await main()
} catch (err) {
  log(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
} finally {
  await cleanup()
}
process.exit(code)
