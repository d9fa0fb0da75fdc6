import type { SASLOptions } from 'kafkajs'
import {
  countDeadLetters,
  type DeadLetterCounts,
  deadLetterViolations,
  type ExpectedDeadLetters,
} from './dead-letters.ts'
import { findViolations, type Violation } from './rules.ts'
import { readSnapshot, type ServiceDbs, type Snapshot } from './snapshot.ts'

export type CheckOptions = {
  /** Each service's database (the same one for all when every schema lives in one). */
  dbs: ServiceDbs
  /** When given, the dead-letter topics on this broker are counted too. */
  kafka?: { brokers: string[]; sasl?: SASLOptions; topicPrefix?: string }
  expectDeadLetters?: ExpectedDeadLetters
  now?: Date
  /** See RuleOptions.graceMs. Default 10 s. */
  graceMs?: number
  /** tickets' RESALE_PRICE_CAP. Default 1.0, as tickets'. */
  resalePriceCap?: number
  /** payments' PAYOUT_DELAY_DAYS. Default 3, as payments'. */
  payoutDelayDays?: number
}

export type CheckResult = {
  violations: Violation[]
  /** Undefined when no broker was given. */
  deadLetters?: DeadLetterCounts
  /** What was looked at, for the report. */
  counts: Record<string, number>
  snapshot: Snapshot
}

/** Reads every service's data (read-only) and returns each broken invariant with its ids. */
export async function checkInvariants(options: CheckOptions): Promise<CheckResult> {
  const snapshot = await readSnapshot(options.dbs)
  const violations = findViolations(snapshot, {
    now: options.now ?? new Date(),
    graceMs: options.graceMs ?? 10_000,
    resalePriceCap: options.resalePriceCap ?? 1,
    payoutDelayDays: options.payoutDelayDays ?? 3,
  })
  let deadLetters: DeadLetterCounts | undefined
  if (options.kafka) {
    deadLetters = await countDeadLetters(options.kafka)
    violations.push(...deadLetterViolations(deadLetters, options.expectDeadLetters))
  }
  return {
    violations,
    deadLetters,
    snapshot,
    counts: {
      tickets: snapshot.tickets.length,
      orders: snapshot.orders.length,
      payments: snapshot.payments.length,
      payouts: snapshot.payouts.length,
      'outbox rows': snapshot.outbox.length,
    },
  }
}
