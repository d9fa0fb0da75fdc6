import { baseConfigEntries, envInt, tokenConfigEntries } from '@twtix/common'
import cron from 'node-cron'
import * as v from 'valibot'

export const ExpirationConfigSchema = v.object({
  ...baseConfigEntries(3004),
  ...tokenConfigEntries(),
  /** Due orders expired per transaction; a sweep goes on while batches come back full. */
  SWEEP_BATCH_SIZE: envInt(100, 1, 10_000),
  /**
   * How long order events may wait on the bus to be taken together, in one transaction: a due
   * row is needed when its hold ends, minutes later, so no one waits on them (0: each at once).
   */
  EVENTS_GATHER_MS: envInt(250, 0, 5000),
  /** When the sweep runs (node-cron syntax, seconds first): every second by default. */
  SWEEP_CRON: v.optional(
    v.pipe(
      v.string(),
      v.check((expression) => cron.validate(expression), 'must be a cron expression'),
    ),
    '* * * * * *',
  ),
})

export type ExpirationConfig = v.InferOutput<typeof ExpirationConfigSchema>
