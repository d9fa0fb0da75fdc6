/** Figures computed from raw samples (milliseconds), never from a histogram. */

export type Latency = {
  n: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

/** The nearest-rank percentile of sorted samples: the smallest value with p% at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}

export function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b)
  const sum = sorted.reduce((s, v) => s + v, 0)
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  }
}

/** Rounds for display: 3 significant digits below 100, whole numbers above. */
export function fmt(value: number | undefined, unit = ''): string {
  if (value === undefined || !Number.isFinite(value)) return '–'
  const abs = Math.abs(value)
  const text =
    abs >= 100
      ? Math.round(value).toLocaleString('en-US')
      : abs >= 10
        ? value.toFixed(1)
        : abs >= 1
          ? value.toFixed(2)
          : value.toFixed(3)
  return `${text}${unit}`
}

export const ms = (v: number | undefined) => fmt(v, ' ms')
export const perSecond = (v: number | undefined, what = '/s') => fmt(v, what)
