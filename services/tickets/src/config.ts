import { baseConfigEntries, envInt, envRatio, tokenConfigEntries } from '@twtix/common'
import cron from 'node-cron'
import * as v from 'valibot'

export const TicketsConfigSchema = v.object({
  ...baseConfigEntries(3002),
  ...tokenConfigEntries(),
  /**
   * How long a page of the public listing may be served from memory at most (0: never). Every
   * change to a ticket drops the pages at once; this bounds only a change missed while the
   * database connection was down.
   */
  LISTING_CACHE_MS: envInt(5000, 0, 60_000),
  /**
   * The highest resale price as a multiple of the face value. 1.0 by default: Japan's Act on
   * Ensuring Proper Distribution of Specified Performance Tickets forbids reselling above it.
   */
  RESALE_PRICE_CAP: envRatio('1.0', 1, 10),
  /**
   * How long before its event starts a paid ticket's delivery details must be there; without
   * them by then the order is refunded in full (ticket.undelivered).
   */
  DELIVERY_DEADLINE_HOURS: envInt(24, 0, 24 * 30),
  /** When the delivery deadline sweep runs (node-cron syntax, seconds first). */
  DELIVERY_SWEEP_CRON: v.optional(
    v.pipe(
      v.string(),
      v.check((expression) => cron.validate(expression), 'must be a cron expression'),
    ),
    '*/5 * * * * *',
  ),
})

export type TicketsConfig = v.InferOutput<typeof TicketsConfigSchema>
