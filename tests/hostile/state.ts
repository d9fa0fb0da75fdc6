import { type Db, rowsOf } from '@twtix/common'
import { is, sql } from 'drizzle-orm'
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core'
import { expect } from 'vitest'
import * as auth from '../../services/auth/src/db/schema.ts'
import * as expiration from '../../services/expiration/src/db/schema.ts'
import * as orders from '../../services/orders/src/db/schema.ts'
import * as payments from '../../services/payments/src/db/schema.ts'
import * as tickets from '../../services/tickets/src/db/schema.ts'

/**
 * Every table of every service, found in their schema modules, so a new table is watched
 * without anyone remembering to add it here. auth's signing keys and the JWKS caches are
 * left out: they are written on start-up, not by requests.
 */
const ignored = new Set([
  'auth.signing_keys',
  'tickets.auth_keys',
  'orders.auth_keys',
  'payments.auth_keys',
])

export const watchedTables: { name: string; table: PgTable }[] = [
  auth,
  tickets,
  orders,
  expiration,
  payments,
]
  .flatMap((module) => Object.values(module))
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => {
    const config = getTableConfig(table)
    return { name: `${config.schema}.${config.name}`, table }
  })
  .filter(({ name }) => !ignored.has(name))

/** Row count and a digest of every row, per table: equal snapshots mean nothing changed. */
export type Snapshot = Record<string, { rows: number; digest: string }>

/** One statement for every table: a snapshot is one round trip, cheap enough for every run. */
const snapshotQuery = sql.join(
  watchedTables.map(
    ({ name, table }) =>
      sql`select ${name}::text as name, count(*)::int as rows,
        md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest
        from ${table} as x`,
  ),
  sql` union all `,
)

export async function snapshot(db: Db): Promise<Snapshot> {
  const rows = rowsOf<{ name: string; rows: number; digest: string }>(
    await db.execute(snapshotQuery),
  )
  return Object.fromEntries(
    rows.map((row) => [row.name, { rows: Number(row.rows), digest: String(row.digest) }]),
  )
}

/** The tables whose rows differ between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  return Object.keys(after).filter(
    (name) =>
      before[name]?.rows !== after[name]?.rows || before[name]?.digest !== after[name]?.digest,
  )
}

export function expectUnchanged(
  before: Snapshot,
  after: Snapshot,
  what = 'the request',
  options: { except?: string[] } = {},
) {
  const changed = changedTables(before, after).filter((t) => !options.except?.includes(t))
  expect(changed, `${what} changed these tables`).toEqual([])
}

/** Where a refusal may be kept for its caller's retries (the API replays refusals too). */
export const idempotencyTables = watchedTables
  .map(({ name }) => name)
  .filter((name) => name.endsWith('.idempotency_keys'))

/** A digest of every stored Idempotency-Key that is not `userId`'s. */
export async function othersIdempotencyKeys(db: Db, userId: string): Promise<string[]> {
  const digests: string[] = []
  for (const { name, table } of watchedTables) {
    if (!idempotencyTables.includes(name)) continue
    const result = await db.execute(
      sql`select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest
        from ${table} as x where x.user_id <> ${userId}`,
    )
    digests.push(String(rowsOf<{ digest: string }>(result)[0]?.digest))
  }
  return digests
}

/**
 * Waits until the marketplace is at rest: every outbox row sent and the database unchanged
 * across a few polls, so what happens next is caused by the next request alone.
 */
export async function settle(db: Db, options: { timeoutMs?: number } = {}): Promise<Snapshot> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  let last = await snapshot(db)
  let quiet = 0
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 25))
    const next = await snapshot(db)
    const unsent = await unsentOutboxRows(db)
    quiet = unsent === 0 && changedTables(last, next).length === 0 ? quiet + 1 : 0
    last = next
    if (quiet >= 3) return last
    if (Date.now() > deadline) throw new Error('the marketplace did not come to rest in time')
  }
}

const unsentQuery = sql.join(
  watchedTables
    .filter(({ name }) => name.endsWith('.outbox'))
    .map(({ table }) => sql`select count(*)::int as n from ${table} as x where x.sent_at is null`),
  sql` union all `,
)

async function unsentOutboxRows(db: Db): Promise<number> {
  const rows = rowsOf<{ n: number }>(await db.execute(unsentQuery))
  return rows.reduce((total, row) => total + Number(row.n), 0)
}
