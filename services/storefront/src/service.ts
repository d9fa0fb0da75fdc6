import { ConfigError, type Service, type ServiceInfra } from '@twtix/common'
import { createApp } from './app.tsx'
import type { StorefrontConfig } from './config.ts'
import type { ApiFetch, Deps } from './deps.ts'

export type StorefrontService = Service & { app: ReturnType<typeof createApp> }

export type StorefrontOptions = {
  /** The public API in this process (the embedded start); without it, `fetch` to API_URL. */
  api?: ApiFetch
}

/**
 * The web shop as a service. It owns no data: no database, no events (infra.database and bus go
 * unused); every page is built from the public API, called as the browser's user.
 */
export async function createStorefrontService(
  infra: ServiceInfra<StorefrontConfig>,
  options: StorefrontOptions = {},
): Promise<StorefrontService> {
  const { config, logger, clock } = infra
  if (!options.api && !config.API_URL) {
    throw new ConfigError(
      'Configuration error: API_URL: the public API base, e.g. http://127.0.0.1:8080, is required (it is missing)',
    )
  }
  const deps: Deps = {
    api: options.api ?? ((request) => fetch(request)),
    apiUrl: config.API_URL ?? 'http://twtix.internal',
    clock,
    logger,
    config,
  }
  const payments = config.STRIPE_PUBLISHABLE_KEY ? 'Stripe Elements' : 'offline test cards'
  const over = options.api ? 'the API in this process' : config.API_URL
  return {
    name: 'storefront',
    app: createApp(deps),
    summary: `web shop over ${over} (${payments})`,
    start: async () => {},
    stop: async () => {},
  }
}
