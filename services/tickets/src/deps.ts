import type { BaseDeps } from '@twtix/common'
import type { TicketsConfig } from './config.ts'
import type { ListingCache } from './queries/listing-cache.ts'

export type Deps = BaseDeps & {
  config: Pick<TicketsConfig, 'RESALE_PRICE_CAP' | 'DELIVERY_DEADLINE_HOURS'>
  /** The public listing's pages in memory (the service's; tests may go without). */
  listing?: ListingCache
}
