import type { Clock, Logger } from '@twtix/common'
import type { StorefrontConfig } from './config.ts'

/** How the storefront reaches the public API: `fetch` over HTTP, or the embedded app's own fetch. */
export type ApiFetch = (request: Request) => Promise<Response>

export type Deps = {
  api: ApiFetch
  /** Base of the API's URLs; any origin will do when `api` is the embedded app. */
  apiUrl: string
  clock: Clock
  logger: Logger
  config: Pick<
    StorefrontConfig,
    'PUBLIC_URL' | 'STRIPE_PUBLISHABLE_KEY' | 'TRUSTED_PROXIES' | 'RESALE_PRICE_CAP'
  >
}
