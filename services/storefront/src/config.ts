import { baseConfigEntries, envRatio, envTrustedProxies, envUrl } from '@twtix/common'
import * as v from 'valibot'

export const StorefrontConfigSchema = v.object({
  ...baseConfigEntries(3006),
  /**
   * The public API base the storefront calls, e.g. http://127.0.0.1:8080 (the ingress). Required
   * when the storefront runs on its own; the embedded start hands it the API in-process instead.
   */
  API_URL: v.optional(envUrl()),
  /**
   * The origin browsers use, e.g. https://twtix.example; form posts must come from it. Without it
   * the origin of the request as the ingress forwarded it (Host, X-Forwarded-Proto) is expected.
   */
  PUBLIC_URL: v.optional(envUrl()),
  /**
   * Proxy hops in front of the storefront (the ingress, a TLS terminator): addresses or CIDR
   * ranges, or `loopback` / `private`. The client address they name is forwarded to the API.
   */
  TRUSTED_PROXIES: envTrustedProxies(),
  /**
   * The cap the sell form shows: set it as tickets' RESALE_PRICE_CAP (the embedded start and
   * Compose give both the same variable). Tickets enforces its own; this is only the hint.
   */
  RESALE_PRICE_CAP: envRatio('1.0', 1, 10),
  /** pk_...: with it the order page takes cards with Stripe Elements, else the offline test cards. */
  STRIPE_PUBLISHABLE_KEY: v.optional(
    v.pipe(v.string(), v.regex(/^pk_(test|live)_/, 'must start with pk_test_ or pk_live_')),
  ),
})

export type StorefrontConfig = v.InferOutput<typeof StorefrontConfigSchema>
