import { baseConfigEntries, envInt, tokenConfigEntries } from '@twtix/common'
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
  RESALE_PRICE_CAP: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,2}(\.\d{1,4})?$/, 'must be a number such as 1.0'),
      v.transform(Number),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(10, 'must be at most 10'),
    ),
    '1.0',
  ),
})

export type TicketsConfig = v.InferOutput<typeof TicketsConfigSchema>
