import type { BaseDeps } from '@twtix/common'
import type { ListingCache } from './queries/listing-cache.ts'

export type Deps = BaseDeps & {
  /** The public listing's pages in memory (the service's; tests may go without). */
  listing?: ListingCache
}
