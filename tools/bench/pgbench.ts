/**
 * The create-order transaction driven by pgbench (C, libpq, prepared statements) over TCP: the
 * second limit beside the postgres.js one, what PostgreSQL itself does on this machine without a
 * JavaScript client's CPU in the way.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { resolve } from 'node:path'
import process from 'node:process'
import { latency } from '../lib/stats.ts'
import {
  dropScratch,
  type RateFigure,
  type SqlTarget,
  scratch,
  seedOrdersSchema,
} from './limits.ts'

/** pgbench on the PATH, else the newest of PostgreSQL's own bin directories. */
export function findPgbench(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(resolve(dir, 'pgbench'))) return resolve(dir, 'pgbench')
  }
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a))
  for (const v of versions) {
    const bin = resolve(base, v, 'bin', 'pgbench')
    if (existsSync(bin)) return bin
  }
  return undefined
}

// The same three statements as orderSqlLimit: read the ticket, insert the order (on conflict do
// nothing, returning), insert its outbox row; each transaction takes the next unordered ticket.
// The event's JSON is built by the server here, by the client there.
const SCRIPT = `begin;
select t.id as ticket_id, t.title as title, t.price as price from bench_queue q join orders.tickets t on t.id = q.id where q.n = (select nextval('bench_next')) \\gset
insert into orders.orders (id, user_id, ticket_id, status, expires_at, version, created_at) values (gen_random_uuid(), :buyer, :ticket_id, 'created', now() + interval '900 seconds', 0, now()) on conflict do nothing returning id as order_id \\gset
insert into orders.outbox (event_id, type, topic, key, payload) values (gen_random_uuid(), 'order.created', 'orders', :order_id, json_build_object('id', gen_random_uuid(), 'type', 'order.created', 'source', 'orders', 'occurredAt', now(), 'data', json_build_object('id', :order_id::uuid, 'userId', :buyer::uuid, 'status', 'created', 'expiresAt', now() + interval '900 seconds', 'version', 0, 'ticket', json_build_object('id', :ticket_id::uuid, 'title', :title::text, 'price', :price::int)))::text);
commit;
`

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{ code: number | null; output: string }>((ok, fail) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.once('error', fail)
    child.once('exit', (code) => ok({ code, output }))
  })
}

/**
 * pgbench at `concurrency` clients (two threads) for `seconds`; undefined when there is no
 * pgbench or the target is PGlite. Latencies come from pgbench's per-transaction log.
 */
export async function orderPgbenchLimit(
  target: SqlTarget,
  o: { concurrency: number; seconds: number; tickets: number },
): Promise<(RateFigure & { program: string }) | undefined> {
  const bin = findPgbench()
  if (!bin || target.kind !== 'postgres') return undefined
  const db = await scratch(target, 1)
  const dir = mkdtempSync(resolve(tmpdir(), 'twtix-pgbench-'))
  try {
    await seedOrdersSchema(db, o.tickets)
    await db.exec(
      'create table bench_queue as select row_number() over () as n, id from orders.tickets',
    )
    await db.exec('create unique index on bench_queue (n)')
    await db.exec('create sequence bench_next')
    await db.exec('analyze')
    writeFileSync(resolve(dir, 'order.sql'), SCRIPT)
    const url = new URL(target.adminUrl)
    const env = {
      ...process.env,
      PGHOST: url.hostname,
      PGPORT: url.port || '5432',
      PGUSER: decodeURIComponent(url.username) || process.env.PGUSER || 'postgres',
      PGPASSWORD: decodeURIComponent(url.password) || process.env.PGPASSWORD || '',
      PGDATABASE: target.database,
    }
    const args = [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(o.concurrency),
      '-j',
      '2',
      '-T',
      String(o.seconds),
      '-f',
      'order.sql',
      '-D',
      `buyer=${crypto.randomUUID()}`,
      '-l',
      '--log-prefix=tx',
    ]
    const { code, output } = await run(bin, args, env, dir)
    const tps = output.match(/tps = ([\d.]+) \(without initial connection time\)/)?.[1]
    if (code !== 0 || !tps) {
      throw new Error(`pgbench failed (${code}): ${output.trim().split('\n').slice(-3).join(' ')}`)
    }
    // Each log line: client, transaction, latency (µs), script, epoch seconds, µs.
    const samples: number[] = []
    for (const file of readdirSync(dir).filter((f) => f.startsWith('tx.'))) {
      for (const line of readFileSync(resolve(dir, file), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2])
        if (line && Number.isFinite(us)) samples.push(us / 1000)
      }
    }
    return {
      program: bin,
      count: samples.length,
      elapsedMs: o.seconds * 1000,
      perSecond: Number(tps),
      latency: latency(samples),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await db.close()
    await dropScratch(target)
  }
}
