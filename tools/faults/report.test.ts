import { describe, expect, it } from 'vitest'
import { routeOf } from './client.ts'
import { byReason, failed, type Report, renderTable } from './report.ts'
import { createStats } from './stats.ts'

function report(overrides: Partial<Report> = {}): Report {
  const stats = createStats()
  stats.record({ op: 'GET /api/tickets', status: 200, reason: '', kind: 'ok' })
  stats.setFault('SIGKILL orders-0 + orders-1')
  for (let i = 0; i < 3; i++) {
    stats.record({
      op: 'POST /api/orders',
      status: 503,
      reason: 'Service temporarily unavailable',
      kind: 'failed',
    })
  }
  stats.setFault('none')
  stats.record({ op: 'POST /api/payments', status: 402, reason: 'declined', kind: 'expected' })
  // A retry answered after its fault ended belongs to that fault; during another, to that one.
  stats.record({
    op: 'POST /api/orders',
    status: 503,
    reason: 'Service temporarily unavailable',
    kind: 'failed',
    fault: 'SIGKILL orders-0 + orders-1',
  })
  stats.setFault('PostgreSQL restart')
  stats.record({
    op: 'POST /api/orders',
    status: 500,
    reason: 'Something went wrong',
    kind: 'failed',
    fault: 'SIGKILL orders-0 + orders-1',
  })
  stats.setFault('none')
  return {
    mode: 'short',
    startedAt: new Date(0).toISOString(),
    durationMs: 272_000,
    setup: { replicas: 2, holdSeconds: 3, concurrency: 6, setupMs: 50_000 },
    faults: [
      { name: 'SIGKILL orders-0 + orders-1', ok: true, recoveryMs: 9500, detail: 'pids' },
      { name: 'poison message', ok: true, detail: 'in tickets.dlq' },
    ],
    requests: {
      sent: stats.sent,
      ok: stats.byKind.ok,
      expected: stats.tallies('expected'),
      failed: stats.tallies('failed'),
    },
    created: { orders: 10, payments: 4, journeys: {}, recoveries: [] },
    losses: {
      ordersLost: [],
      soldTwice: [],
      stuckHolds: [],
      eventsLost: [],
      paidNotDelivered: [],
      payoutsPaidTwice: [],
      payoutsUnpaid: [],
    },
    payouts: {
      total: 5,
      paid: 4,
      duringFault: { 'SIGKILL payments-0': 1, 'PostgreSQL restart': 2 },
      blocked: 1,
      onboarded: 6,
    },
    outboxEvents: 100,
    latency: {
      quiet: { events: 90, p50: 120, p95: 400, p99: 800, max: 950 },
      faulty: { events: 10, p50: 2000, p95: 9000, p99: 9000, max: 9000 },
    },
    deadLetters: { 'orders.dlq': 0, 'tickets.dlq': 1 },
    expectedDeadLetters: { 'tickets.dlq': 1 },
    checker: { ok: true, violations: [] },
    converged: { ok: true, ms: 4200, drainMs: 6100, pending: [] },
    ...overrides,
  }
}

describe('the fault report', () => {
  it('counts every request and files each failure under the fault in progress', () => {
    const r = report()
    expect(r.requests).toMatchObject({ sent: 7, ok: 1 })
    expect(r.requests.failed).toEqual([
      {
        op: 'POST /api/orders',
        status: 503,
        reason: 'Service temporarily unavailable',
        kind: 'failed',
        fault: 'SIGKILL orders-0 + orders-1',
        count: 4,
      },
      {
        op: 'POST /api/orders',
        status: 500,
        reason: 'Something went wrong',
        kind: 'failed',
        fault: 'PostgreSQL restart',
        count: 1,
      },
    ])
    expect(byReason(r.requests.expected)).toEqual([{ what: '402 declined', count: 1 }])
  })

  it('renders one table with every loss column at zero and passes', () => {
    const r = report()
    const table = renderTable(r)
    expect(table.split('\n')[0]).toBe('| | |')
    for (const row of [
      '| orders lost | 0 of 10 created (201) |',
      '| tickets sold twice | 0 |',
      '| holds stuck past expiry | 0 |',
      '| events lost | 0 of 100 published |',
      '| payouts | 4 paid (3 during a fault: 2 × PostgreSQL restart, 1 × SIGKILL payments-0), 0 transferred twice<br>0 due and unpaid, 1 blocked (seller not onboarded), of 5 payouts; 6 sellers onboarded |',
      "| time to converge | 4.2 s after the load's last request (its journeys took 6.1 s to end once it was stopped) |",
    ]) {
      expect(table).toContain(row)
    }
    expect(table).toContain('5 (0 outside a fault)<br>during SIGKILL orders-0 + orders-1: 4 × 503')
    expect(table).toContain('<br>during PostgreSQL restart: 1 × 500 Something went wrong |')
    expect(table).toContain('✓ SIGKILL orders-0 + orders-1 (back in 9.5 s)')
    expect(table).toContain('tickets.dlq 1 (expected 1: the poison message)')
    expect(table).toContain('without faults p50 0.1 s, p99 0.8 s, max 0.9 s (90 deliveries)')
    expect(failed(r)).toEqual([])
  })

  it('fails on a lost order, a failed fault check, the checker, or no convergence', () => {
    const lost = report({
      losses: { ...report().losses, ordersLost: ['o-1'] },
      checker: { ok: false, violations: [{ rule: 'paid-twice', message: '2 payments' }] },
      converged: { ok: false, ms: 120_000, drainMs: 0, pending: ['3 unsent outbox rows'] },
      faults: [{ name: 'poison message', ok: false, detail: 'NOT in tickets.dlq' }],
    })
    expect(renderTable(lost)).toContain('| orders lost | **1**: o-1 of 10 created (201) |')
    expect(failed(lost)).toEqual([
      'ordersLost: 1',
      'fault check failed: poison message (NOT in tickets.dlq)',
      'invariant checker: 1 violation(s)',
      'did not converge: 3 unsent outbox rows',
    ])
  })

  it('fails on a payout transferred twice or left unpaid', () => {
    const twice = report({
      losses: { ...report().losses, payoutsPaidTwice: ['p-1'], payoutsUnpaid: ['p-2'] },
    })
    expect(renderTable(twice)).toContain(
      '**1**: p-1 transferred twice<br>**1**: p-2 due and unpaid',
    )
    expect(failed(twice)).toEqual(['payoutsPaidTwice: 1', 'payoutsUnpaid: 1'])
  })

  it('says how keys a killed process left "in progress" were answered in the end', () => {
    const r = report({
      created: {
        orders: 10,
        payments: 4,
        journeys: {},
        recoveries: [
          { op: 'POST /api/orders', status: 201, seconds: 61 },
          { op: 'POST /api/payments', status: 400, seconds: 65 },
        ],
      },
    })
    expect(renderTable(r)).toContain(
      '| keys left "in progress" by a killed process | 2, retried with the same key until answered: 1 × 201, 1 × 400, after 61–65 s |',
    )
  })

  it('groups requests by route', () => {
    expect(routeOf('/api/orders/0b0a6b6e-8c1f-4b7e-9d55-1d2f3a4b5c6d?x=1')).toBe('/api/orders/:id')
  })
})
