import { ask, forkTs } from './children.ts'
import type { LoadResult, LoadSpec } from './load-spec.ts'

/** Runs one load in a fresh autocannon process and returns its raw answers. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = forkTs('load.ts')
  return ask<LoadResult>(child, spec, 'load generator')
}

/** Counts answers by status. */
export function statusCounts(result: LoadResult): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const s of result.statuses) counts[s] = (counts[s] ?? 0) + 1
  if (result.errors) counts.error = result.errors
  return counts
}

/** Latencies of the answers whose status passes `keep`. */
export function latenciesWhere(result: LoadResult, keep: (status: number) => boolean): number[] {
  return result.latencies.filter((_, i) => keep(result.statuses[i] as number))
}
