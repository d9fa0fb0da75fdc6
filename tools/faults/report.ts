import type { FaultRecord } from './faults.ts'
import type { Latency, Percentiles } from './latency.ts'
import type { Tally } from './stats.ts'

export type Losses = {
  /** Orders a 201 announced that orders' table does not have. */
  ordersLost: string[]
  /** Tickets with more than one complete order or more than one kept payment. */
  soldTwice: string[]
  /** Orders still created well past their expiry, and expiration rows past their time. */
  stuckHolds: string[]
  /** Outbox events some consumer group never applied (or never published). */
  eventsLost: string[]
  /** Payments a 201 announced as succeeded that ended neither with a complete order nor refunded. */
  paidNotDelivered: string[]
  /** Payouts the gateway transferred more than once (the checker's payout-transferred-twice). */
  payoutsPaidTwice: string[]
  /** Payouts still due and unpaid once the system settled (held, no claim, not backing off). */
  payoutsUnpaid: string[]
}

/** The sellers' payouts of the run (PAYOUT_DELAY_DAYS=0: due when the buyer pays). */
export type PayoutsSummary = {
  /** Payouts created (one per paid order whose seller is known). */
  total: number
  /** Transferred: paid, or paid and then reversed. */
  paid: number
  /** Of `paid`, those whose transfer committed while a fault was in progress, by fault. */
  duringFault: Record<string, number>
  /** Due, but their seller's onboarding had not completed. */
  blocked: number
  /** Load users who completed onboarding. */
  onboarded: number
}

export type Report = {
  mode: 'short' | 'full'
  startedAt: string
  durationMs: number
  setup: { replicas: number; holdSeconds: number; concurrency: number; setupMs: number }
  faults: FaultRecord[]
  requests: {
    sent: number
    ok: number
    expected: Tally[]
    failed: Tally[]
  }
  created: {
    orders: number
    payments: number
    journeys: Record<string, number>
    recoveries: { op: string; status: number; seconds: number }[]
  }
  losses: Losses
  payouts: PayoutsSummary
  outboxEvents: number
  latency: Latency
  deadLetters: Record<string, number>
  expectedDeadLetters: Record<string, number>
  checker: { ok: boolean; violations: { rule: string; message: string }[] }
  /** `drainMs`: from stopping the load to its last journey's end; `ms`: from then to at rest. */
  converged: { ok: boolean; ms: number; drainMs: number; pending: string[] }
}

const n = (x: number) => x.toLocaleString('en-US')
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const minutes = (ms: number) =>
  `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)
    .toString()
    .padStart(2, '0')} s`
const spread = (p: Percentiles) =>
  p.events === 0
    ? 'no events'
    : `p50 ${secs(p.p50)}, p99 ${secs(p.p99)}, max ${secs(p.max)} (${n(p.events)} deliveries)`
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ')

/** Sums tallies by status and reason, most frequent first. */
export function byReason(tallies: Tally[]): { what: string; count: number }[] {
  const sums = new Map<string, number>()
  for (const t of tallies) {
    const what = t.status === 0 ? `no answer (${t.reason})` : `${t.status} ${t.reason}`.trim()
    sums.set(what, (sums.get(what) ?? 0) + t.count)
  }
  return [...sums].map(([what, count]) => ({ what, count })).sort((a, b) => b.count - a.count)
}

function failures(failed: Tally[]): string {
  if (failed.length === 0) return '0'
  const total = failed.reduce((s, t) => s + t.count, 0)
  const faults = [...new Set(failed.map((t) => t.fault))].sort((a, b) =>
    a === 'none' ? 1 : b === 'none' ? -1 : 0,
  )
  const lines = faults.map((fault) => {
    const here = failed.filter((t) => t.fault === fault)
    const reasons = byReason(here)
      .map((r) => `${r.count} × ${r.what}`)
      .join(', ')
    return `${fault === 'none' ? '**outside any fault**' : `during ${fault}`}: ${reasons}`
  })
  const outside = failed.filter((t) => t.fault === 'none').reduce((s, t) => s + t.count, 0)
  return [`${n(total)} (${n(outside)} outside a fault)`, ...lines].join('<br>')
}

const losses = (ids: string[], of?: string) =>
  `${ids.length === 0 ? '0' : `**${ids.length}**: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`}${of ? ` ${of}` : ''}`

function payoutsRow(p: PayoutsSummary, l: Losses): string {
  const during = Object.entries(p.duringFault).sort((a, b) => b[1] - a[1])
  const inFaults = during.reduce((sum, [, c]) => sum + c, 0)
  const where = during.length > 0 ? `: ${during.map(([f, c]) => `${c} × ${f}`).join(', ')}` : ''
  return [
    `${n(p.paid)} paid (${n(inFaults)} during a fault${where}), ${losses(l.payoutsPaidTwice)} transferred twice`,
    `${losses(l.payoutsUnpaid)} due and unpaid, ${n(p.blocked)} blocked (seller not onboarded), of ${n(p.total)} payouts; ${n(p.onboarded)} sellers onboarded`,
  ].join('<br>')
}

function recoveries(list: Report['created']['recoveries']): string {
  const statuses = byReason(
    list.map((r) => ({ op: r.op, status: r.status, reason: '', kind: 'ok', fault: '', count: 1 })),
  )
    .map((s) => `${s.count} × ${s.what}`)
    .join(', ')
  const seconds = list.map((r) => r.seconds)
  return `${list.length}, retried with the same key until answered: ${statuses}, after ${Math.min(...seconds)}–${Math.max(...seconds)} s`
}

/** Whether a loss column is non-zero, a fault's own check failed, or the checker failed. */
export function failed(r: Report): string[] {
  const why: string[] = []
  for (const [name, ids] of Object.entries(r.losses)) {
    if (ids.length > 0) why.push(`${name}: ${ids.length}`)
  }
  for (const f of r.faults) if (!f.ok) why.push(`fault check failed: ${f.name} (${f.detail})`)
  if (!r.checker.ok) why.push(`invariant checker: ${r.checker.violations.length} violation(s)`)
  if (!r.converged.ok) why.push(`did not converge: ${r.converged.pending.join(', ')}`)
  return why
}

/** The one table of a run, in Markdown. */
export function renderTable(r: Report): string {
  const faults = r.faults
    .map(
      (f) =>
        `${f.ok ? '✓' : '✗'} ${f.name}${f.recoveryMs !== undefined ? ` (back in ${secs(f.recoveryMs)})` : ''}${f.ok ? '' : `: ${f.detail}`}`,
    )
    .join('<br>')
  const expected = byReason(r.requests.expected)
    .slice(0, 4)
    .map((e) => `${n(e.count)} × ${e.what}`)
    .join(', ')
  const expectedTotal = r.requests.expected.reduce((s, t) => s + t.count, 0)
  const dlq = Object.entries(r.deadLetters)
    .map(
      ([t, c]) =>
        `${t} ${c}${r.expectedDeadLetters[t] ? ` (expected ${r.expectedDeadLetters[t]}: the poison message)` : ''}`,
    )
    .join(', ')
  const rows: [string, string][] = [
    [
      'run',
      `${r.mode === 'short' ? '`--short`' : 'full'}: ${r.setup.replicas} replicas per service behind nginx, own PostgreSQL and Kafka, hold ${r.setup.holdSeconds} s, ${r.setup.concurrency} concurrent journeys; ${minutes(r.durationMs)} (start-up ${secs(r.setup.setupMs)})`,
    ],
    ['faults injected', `${r.faults.length}:<br>${faults}`],
    [
      'requests sent',
      `${n(r.requests.sent)}: ${n(r.requests.ok)} 2xx, ${n(expectedTotal)} expected refusals (${expected})`,
    ],
    ['requests failed (why)', failures(r.requests.failed)],
    ...(r.created.recoveries.length > 0
      ? ([['keys left "in progress" by a killed process', recoveries(r.created.recoveries)]] as [
          string,
          string,
        ][])
      : []),
    ['orders lost', losses(r.losses.ordersLost, `of ${n(r.created.orders)} created (201)`)],
    ['tickets sold twice', losses(r.losses.soldTwice)],
    ['holds stuck past expiry', losses(r.losses.stuckHolds)],
    ['events lost', losses(r.losses.eventsLost, `of ${n(r.outboxEvents)} published`)],
    [
      'paid, neither delivered nor refunded',
      losses(r.losses.paidNotDelivered, `of ${n(r.created.payments)} payments (201)`),
    ],
    ['payouts', payoutsRow(r.payouts, r.losses)],
    [
      'event latency (outbox → applied)',
      `without faults ${spread(r.latency.quiet)}; during a fault or up to 12 s after it ${spread(r.latency.faulty)}`,
    ],
    ['dead letters', dlq || 'none'],
    [
      'invariant checker',
      r.checker.ok
        ? 'every invariant holds'
        : `**${r.checker.violations.length} violation(s)**: ${r.checker.violations
            .slice(0, 5)
            .map((v) => `${v.rule} (${v.message})`)
            .join('; ')}`,
    ],
    [
      'time to converge',
      r.converged.ok
        ? `${secs(r.converged.ms)} after the load's last request (its journeys took ${secs(r.converged.drainMs)} to end once it was stopped)`
        : `**did not converge** in ${secs(r.converged.ms)}: ${r.converged.pending.join(', ')}`,
    ],
  ]
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n')
}
