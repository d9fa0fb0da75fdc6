import { and, isNotNull, lt, type SQL } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Clock } from './clock.ts'
import { type CronJob, startCronJob } from './cron-job.ts'
import type { Db } from './db/types.ts'
import { IDEMPOTENCY_TTL_MS } from './http/idempotency.ts'
import type { Logger } from './logger.ts'

const DAY_MS = 86_400_000

/** How long records that only guard against repeats are kept. */
export const RETENTION = {
  /**
   * Processed-event records and sent outbox rows: two weeks, twice Kafka's default log retention
   * (7 days), so any message a broker could still redeliver is still recognised as applied.
   */
  events: 14 * DAY_MS,
  /** Idempotency keys: a day past the time they answer retries. */
  idempotencyKeys: IDEMPOTENCY_TTL_MS + DAY_MS,
  /** Stripe retries a webhook for up to three days; its event ids are kept a month. */
  stripeEvents: 30 * DAY_MS,
} as const

/** Rows of `table` whose `column` is older than `keepMs` are deleted. */
export type Retained = { table: PgTable; column: PgColumn; keepMs: number }

/** Deletes what has outlived its retention; resolves with how many rows went. */
export async function purgeExpired(db: Db, retained: Retained[], now: Date): Promise<number> {
  let deleted = 0
  for (const { table, column, keepMs } of retained) {
    const expired: SQL | undefined = and(
      isNotNull(column),
      lt(column, new Date(now.getTime() - keepMs)),
    )
    const rows = await db.delete(table).where(expired).returning({ at: column })
    deleted += rows.length
  }
  return deleted
}

/** Purges once an hour (at minute 17, away from other hourly work). */
export function startRetentionJob(options: {
  name: string
  db: Db
  retained: Retained[]
  clock: Clock
  logger: Logger
}): CronJob {
  return startCronJob({
    name: `${options.name}.retention`,
    schedule: '0 17 * * * *',
    run: () => purgeExpired(options.db, options.retained, options.clock()),
    done: 'expired records purged',
    logger: options.logger,
  })
}
