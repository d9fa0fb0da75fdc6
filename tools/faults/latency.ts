import { rowsOf } from '@twtix/common'
import { sql } from 'drizzle-orm'
import { consumersOf } from '../invariants/consumers.ts'
import { type ServiceDbs, serviceNames } from '../invariants/snapshot.ts'
import { percentile } from '../lib/stats.ts'

export type Percentiles = { events: number; p50: number; p95: number; p99: number; max: number }
export type Latency = { quiet: Percentiles; faulty: Percentiles }

/** A span of time a fault was injected in, in epoch ms. */
export type Window = { start: number; end: number }

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b)
  // An empty window reports zeros, as the fault table shows them.
  const at = (p: number) => (sorted.length ? percentile(sorted, p) : 0)
  return { events: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? 0 }
}

/**
 * How long events took from their outbox row to each consumer group's processed-event row, both
 * written by one PostgreSQL server's clock: split into events written during a fault `window`
 * and the others.
 */
export async function eventLatency(dbs: ServiceDbs, windows: Window[]): Promise<Latency> {
  const written: { eventId: string; type: string; at: number }[] = []
  const applied = new Map<string, number>()
  for (const service of serviceNames) {
    const db = dbs[service]
    const outbox = rowsOf<{ event_id: string; type: string; at: string }>(
      await db.execute(
        sql`select event_id, type, (extract(epoch from created_at) * 1000)::float8::text as at
          from ${sql.raw(service)}.outbox`,
      ),
    )
    for (const r of outbox) written.push({ eventId: r.event_id, type: r.type, at: Number(r.at) })
    const processed = rowsOf<{ consumer: string; event_id: string; at: string }>(
      await db.execute(
        sql`select consumer, event_id,
          (extract(epoch from processed_at) * 1000)::float8::text as at
          from ${sql.raw(service)}.processed_events`,
      ),
    )
    for (const r of processed) applied.set(`${r.consumer} ${r.event_id}`, Number(r.at))
  }
  const quiet: number[] = []
  const faulty: number[] = []
  for (const e of written) {
    const during = windows.some((w) => e.at >= w.start && e.at <= w.end)
    for (const group of consumersOf.get(e.type) ?? []) {
      const at = applied.get(`${group} ${e.eventId}`)
      if (at !== undefined) (during ? faulty : quiet).push(at - e.at)
    }
  }
  return { quiet: percentiles(quiet), faulty: percentiles(faulty) }
}
