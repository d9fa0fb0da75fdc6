/**
 * `npm run bench`: twtix's benchmark. Starts its own stack (or, with --embedded, the embedded
 * start), lists tickets and signs people up through the API, runs every scenario beside its
 * limit, prints a markdown table with the machine's description and writes the figures to
 * test-results/bench.json. Exits non-zero only when it cannot run, never because of a figure.
 *
 *   npm run bench                 full run against the stack (PostgreSQL, Kafka, nginx)
 *   npm run bench -- --short      small counts (CI): the whole run in about 3 minutes
 *   npm run bench -- --embedded   against the embedded start (PGlite, in-process bus)
 *   npm run bench -- --cpu-prof   also write a CPU profile per service to .bench/profiles
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { resolve } from 'node:path'
import process from 'node:process'
import kafkajs from 'kafkajs'
import postgres from 'postgres'
import { removeKafkaAccess } from '../kafka/acls.ts'
import { api, type Call, expectStatus, pool, until } from './api.ts'
import { killChildren, root } from './children.ts'
import { dropScratch, type SqlTarget } from './limits.ts'
import { describeMachine, kafkaVersion } from './machine.ts'
import { full, type Mode, short, ticketsNeeded } from './modes.ts'
import { markdown, type Report } from './report.ts'
import {
  type Context,
  expiryScenario,
  flashScenario,
  listScenario,
  ordersScenario,
  propagationScenario,
  purchaseScenario,
  type Row,
  type User,
} from './scenarios.ts'
import { embeddedSettler, SERVICES_WITH_OUTBOX, type Settler, stackSettler } from './settle.ts'
import { DB_PREFIX, killTargetNow, startTarget, type Target } from './target.ts'

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    'usage: npm run bench -- [--short] [--embedded] [--cpu-prof] [--out FILE] [--only list,orders,…]',
  )
  console.log('scenarios: list, flash, propagation, purchase, expiry, orders')
  process.exit(0)
}
const known = ['--short', '--embedded', '--cpu-prof', '--out', '--only']
const valued = ['--out', '--only']
const unknown = args.filter(
  (a, i) => a.startsWith('--') && !known.includes(a) && !valued.includes(args[i - 1] ?? ''),
)
if (unknown.length) {
  console.error(`bench: unknown option ${unknown.join(' ')} (try --help)`)
  process.exit(2)
}
const mode: Mode = args.includes('--short') ? short : full
const embedded = args.includes('--embedded')
const profile = args.includes('--cpu-prof')
const outIndex = args.indexOf('--out')
const out = resolve(root, outIndex >= 0 ? (args[outIndex + 1] ?? '') : 'test-results/bench.json')
const onlyIndex = args.indexOf('--only')
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',') : undefined
const pgUrl = process.env.PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',')
const dir = resolve(root, '.bench')
const runId = Date.now().toString(36).slice(-6)
const topicPrefix = `bench-${runId}-`
const dbPrefix = DB_PREFIX
const password = 'bench password 1'
const log = (msg: string) => console.error(`bench: ${msg}`)

let target: Target | undefined
let interrupted = false

async function stopAll() {
  killChildren()
  await target?.stop()
  target = undefined
}

process.on('SIGINT', () => {
  if (interrupted) process.exit(130)
  interrupted = true
  log('interrupted; stopping what it started')
  void stopAll().finally(() => process.exit(130))
})
process.on('SIGTERM', () => void stopAll().finally(() => process.exit(143)))
process.on('exit', () => {
  killChildren()
  killTargetNow()
})

/** Says what is missing, in one line, before anything starts. */
async function preflight(): Promise<{ database: string; kafka: string }> {
  if (embedded) {
    const { PGlite } = await import('@electric-sql/pglite')
    const db = new PGlite()
    const version = (await db.query<{ version: string }>('select version()')).rows[0]?.version
    await db.close()
    return {
      database: `PGlite (${version?.split(',')[0] ?? 'PostgreSQL'}, in process)`,
      kafka: 'in-process bus (no broker)',
    }
  }
  const sql = postgres(pgUrl, { max: 1, connect_timeout: 5, onnotice: () => {} })
  let version: string
  try {
    const [row] = await sql`select version()`
    version = String(row?.version ?? 'PostgreSQL').split(',')[0] as string
  } catch (err) {
    throw new Error(
      `PostgreSQL at ${pgUrl} does not answer (${(err as Error).message}); set PG_URL`,
    )
  } finally {
    await sql.end({ timeout: 1 })
  }
  const kafka = new kafkajs.Kafka({
    clientId: 'twtix-bench',
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 2 },
  })
  const admin = kafka.admin()
  try {
    await admin.connect()
    // Topics and groups of earlier bench runs (each run has its own prefix).
    const stale = (await admin.listTopics()).filter((t) => t.startsWith('bench-'))
    if (stale.length) await admin.deleteTopics({ topics: stale }).catch(() => {})
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith('bench-'))
    if (groups.length) await admin.deleteGroups(groups).catch(() => {})
  } catch (err) {
    throw new Error(
      `Kafka at ${brokers.join(',')} does not answer (${(err as Error).message}); start it with \`npm run kafka:start\``,
    )
  } finally {
    await admin.disconnect().catch(() => {})
  }
  return { database: version, kafka: `${kafkaVersion()} (KRaft, one node)` }
}

async function deleteRunTopics() {
  if (embedded) return
  const kafka = new kafkajs.Kafka({ clientId: 'twtix-bench', brokers, logLevel: 0 })
  const admin = kafka.admin()
  try {
    await admin.connect()
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix))
    if (mine.length) await admin.deleteTopics({ topics: mine })
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(topicPrefix))
    if (groups.length) await admin.deleteGroups(groups)
    // The ACLs the stack made for this run's prefix (tools/kafka/setup.ts).
    await removeKafkaAccess(admin, topicPrefix)
  } catch {
    // Left for the next run's preflight.
  } finally {
    await admin.disconnect().catch(() => {})
  }
}

async function signUp(call: Call, email: string): Promise<User> {
  const a = expectStatus(
    await call('POST', '/api/users/signup', { body: { email, password } }),
    201,
    'POST /api/users/signup',
  )
  return { id: a.body.id, email, token: a.body.token }
}

/** Users and tickets, through the API; waits until orders knows every ticket. */
async function setUp(t: Target, call: Call, ordersDb?: postgres.Sql) {
  const started = performance.now()
  const seller = await signUp(call, `seller-${runId}@bench.example`)
  const buyers = await pool(
    Array.from({ length: Math.max(mode.flashBuyers, 2) }, (_, i) => i),
    4,
    (i) => signUp(call, `buyer-${i}-${runId}@bench.example`),
  )
  const count = ticketsNeeded(mode)
  const tickets = await pool(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const a = await call('POST', '/api/tickets', {
        body: { title: `Bench ticket ${i}, row ${i % 40}`, price: 1000 + ((i * 37) % 20_000) },
        token: seller.token,
      })
      return expectStatus(a, 201, 'POST /api/tickets').body.id as string
    },
  )
  // Scenarios take tickets newest first, like the listing; the rest stays in the listing.
  tickets.reverse()
  if (ordersDb) {
    await until(
      async () => {
        const [row] =
          await ordersDb`select count(*)::int as n from orders.tickets where id = any(${tickets}::uuid[])`
        return row?.n === tickets.length ? true : undefined
      },
      'orders knows every ticket',
      120_000,
      250,
    )
  } else {
    // The embedded start: ordering one's own ticket is refused with 400 once orders knows it.
    await pool(tickets, 8, (ticketId) =>
      until(
        async () => {
          const a = await call('POST', '/api/orders', { body: { ticketId }, token: seller.token })
          return a.status === 400 ? true : undefined
        },
        'orders knows the ticket',
        60_000,
        20,
      ),
    )
  }
  log(
    `set up ${buyers.length + 1} users and ${count} tickets in ${Math.round((performance.now() - started) / 1000)} s (${t.kind})`,
  )
  return { seller, buyers, tickets }
}

async function main() {
  const startedAt = new Date()
  const t0 = performance.now()
  mkdirSync(dir, { recursive: true })
  const versions = await preflight()
  const machine = describeMachine(versions.database, versions.kafka)
  if ((machine.loadAtStart[0] ?? 0) >= 1) {
    log(`the machine is busy (load average ${machine.loadAtStart.join(' ')}): figures will be low`)
  }
  const profiles = resolve(dir, 'profiles')
  if (profile) {
    rmSync(profiles, { recursive: true, force: true })
    mkdirSync(profiles, { recursive: true })
  }
  log(
    `starting ${embedded ? 'the embedded start' : 'the stack'} (${mode.name} mode, hold ${mode.holdSeconds} s)`,
  )
  target = await startTarget({
    embedded,
    dir,
    pgUrl,
    brokers: brokers.join(','),
    topicPrefix,
    dbPrefix,
    holdSeconds: mode.holdSeconds,
    nodeOptions: profile ? `--cpu-prof --cpu-prof-dir=${profiles}` : '',
  })
  const sql: SqlTarget = embedded
    ? { kind: 'pglite' }
    : { kind: 'postgres', adminUrl: pgUrl, database: `${dbPrefix}scratch` }
  const dbs: Record<string, postgres.Sql> = {}
  if (!embedded) {
    for (const name of SERVICES_WITH_OUTBOX) {
      const url = Object.assign(new URL(pgUrl), { pathname: `/${dbPrefix}${name}` })
      dbs[name] = postgres(url.toString(), { max: 1, onnotice: () => {} })
    }
  }
  const ordersDb = dbs.orders
  const processes = target.processes
  const rows: Row[] = []
  let failures = 0
  let settler: Settler | undefined
  try {
    const call = api(target.api)
    settler = embedded ? embeddedSettler : await stackSettler({ dbs, brokers, topicPrefix })
    const users = await setUp(target, call, ordersDb)
    const ctx: Context = {
      mode,
      target,
      call,
      sql,
      brokers: embedded ? undefined : brokers,
      topicPrefix,
      ordersDb,
      dbs: embedded ? undefined : dbs,
      cpu: { rootPid: target.pid, db: ordersDb, dbPrefix },
      settler,
      dir,
      password,
      ...users,
    }
    const scenarios = [
      ['list', 'GET /api/tickets', listScenario],
      ['flash', 'flash sale', flashScenario],
      ['propagation', 'propagation', propagationScenario],
      ['purchase', 'full purchase', purchaseScenario],
      ['expiry', 'expiry lag', expiryScenario],
      ['orders', 'orders on distinct tickets', ordersScenario],
    ] as const
    for (const [key, name, scenario] of scenarios) {
      if (interrupted) break
      if (only && !only.includes(key)) continue
      const s0 = performance.now()
      await settler.settle()
      log(`${name}… (load average ${os.loadavg()[0]?.toFixed(2)})`)
      // The monotonic clock V8's CPU profiles use (µs), to cut a profile to one scenario.
      const from = Number(process.hrtime.bigint() / 1000n)
      try {
        const row = await scenario(ctx)
        row.window = { from, to: Number(process.hrtime.bigint() / 1000n) }
        rows.push(row)
        log(`${name}: ${row.measured} | ${row.limit}`)
      } catch (err) {
        failures++
        const message = (err as Error).message
        log(`${name} could not run: ${message}`)
        rows.push({
          key,
          scenario: name,
          measured: '',
          limit: '',
          ratio: '–',
          goal: '–',
          met: null,
          figures: {},
          error: message,
        })
      }
      log(`${name} took ${Math.round((performance.now() - s0) / 1000)} s`)
    }
  } finally {
    await settler?.close().catch(() => {})
    for (const db of Object.values(dbs)) await db.end({ timeout: 1 })
    log('stopping')
    await stopAll()
    await deleteRunTopics()
    await dropScratch(sql).catch(() => {})
  }
  machine.loadAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100)
  const report: Report = {
    startedAt: startedAt.toISOString(),
    seconds: (performance.now() - t0) / 1000,
    mode: mode.name,
    target: embedded
      ? 'the embedded start (one process, PGlite, in-process bus)'
      : 'npm run stack (one process per service behind nginx, PostgreSQL, Kafka)',
    command: ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' '),
    machine,
    processes,
    rows,
  }
  mkdirSync(resolve(out, '..'), { recursive: true })
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`)
  const table = markdown(report)
  writeFileSync(out.replace(/\.json$/, '.md'), `${table}\n`)
  console.log(table)
  log(`figures in ${out}`)
  if (profile) {
    for (const [label, pid] of Object.entries(processes)) {
      const file = readdirSync(profiles).find((f) => f.includes(`.${pid}.0.`))
      if (file) log(`CPU profile of ${label}: ${resolve(profiles, file)}`)
    }
    log(
      'summarise one, for one scenario: node --import tsx tools/bench/profile-summary.ts FILE 30 OUT.json orders',
    )
  }
  if (failures) {
    log(`${failures} scenario(s) could not run`)
    process.exit(1)
  }
  process.exit(0)
}

main().catch(async (err) => {
  log(`cannot run: ${(err as Error).message}`)
  await stopAll().catch(() => {})
  process.exit(1)
})
