import { checkInvariants } from '../invariants/check-invariants.ts'
import type { Violation } from '../invariants/rules.ts'
import { countUnsent, type ServiceDbs, type Snapshot } from '../invariants/snapshot.ts'
import { delay } from '../lib/processes.ts'
import type { Publisher } from './events.ts'

export type Settled = {
  converged: boolean
  /** From the call until the first poll that found the system at rest. */
  ms: number
  /** What was still wrong at the last poll when it did not converge. */
  pending: string[]
}

/**
 * Polls until the system is at rest: every outbox row sent, every consumer group caught up with
 * its topics, every hold ended, every payout due (and not backing off) paid, and no invariant
 * broken even without grace (every replica equal to its source, every event applied). Gives up at
 * the deadline.
 */
export async function settle(
  dbs: ServiceDbs,
  bus: Publisher,
  timeoutMs: number,
  options: { payoutDelayDays?: number } = {},
): Promise<Settled> {
  const started = Date.now()
  let pending: string[] = []
  for (;;) {
    pending = []
    try {
      const unsent = await countUnsent(dbs)
      if (unsent > 0) pending.push(`${unsent} unsent outbox rows`)
      const lag = await bus.lag()
      if (lag > 0) pending.push(`consumer lag ${lag}`)
      if (pending.length === 0) {
        const { violations, snapshot } = await checkInvariants({ dbs, graceMs: 0, ...options })
        pending.push(...summarise(violations))
        // With the load stopped, every hold ends: paid, cancelled or expired.
        const held = snapshot.orders.filter((o) => o.status === 'created').length
        if (held > 0) pending.push(`${held} orders still on hold`)
        const unpaid = duePayouts(snapshot.payouts, new Date()).length
        if (unpaid > 0) pending.push(`${unpaid} payouts due and unpaid`)
      }
    } catch (err) {
      pending.push(`probe failed: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (pending.length === 0) return { converged: true, ms: Date.now() - started, pending }
    if (Date.now() - started > timeoutMs)
      return { converged: false, ms: Date.now() - started, pending }
    await delay(500)
  }
}

/** Payouts the worker should have paid by `now`: held, no claim, due, not backing off. */
export function duePayouts(payouts: Snapshot['payouts'], now: Date): Snapshot['payouts'] {
  const t = now.getTime()
  return payouts.filter(
    (p) =>
      p.status === 'held' &&
      !p.claimId &&
      p.dueAt.getTime() <= t &&
      (p.nextAttemptAt?.getTime() ?? 0) <= t,
  )
}

function summarise(violations: Violation[]): string[] {
  const counts = new Map<string, number>()
  for (const v of violations) counts.set(v.rule, (counts.get(v.rule) ?? 0) + 1)
  return [...counts].map(([rule, n]) => `${n} × ${rule}`)
}
