import { describe, expect, it } from 'vitest'
import { fmt, latency, percentile } from './stats.ts'

describe('bench statistics', () => {
  it('takes nearest-rank percentiles from the raw samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i)
    const sorted = [...samples].sort((a, b) => a - b)
    expect(percentile(sorted, 50)).toBe(50)
    expect(percentile(sorted, 99)).toBe(99)
    expect(percentile(sorted, 100)).toBe(100)
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([], 50)).toBeNaN()
    expect(latency(samples)).toMatchObject({ n: 100, p50: 50, p99: 99, max: 100, mean: 50.5 })
  })

  it('formats figures for the table', () => {
    expect(fmt(1234.4, '/s')).toBe('1,234/s')
    expect(fmt(12.345, ' ms')).toBe('12.3 ms')
    expect(fmt(0.1234, ' ms')).toBe('0.123 ms')
    expect(fmt(Number.NaN)).toBe('–')
  })
})
