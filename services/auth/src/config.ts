import { baseConfigEntries, envBool, envInt, envTrustedProxies } from '@twtix/common'
import * as v from 'valibot'

export const AuthConfigSchema = v.object({
  ...baseConfigEntries(3001),
  TOKEN_ISSUER: v.optional(v.string(), 'twtix-auth'),
  TOKEN_AUDIENCE: v.optional(v.string(), 'twtix'),
  TOKEN_TTL_SECONDS: envInt(86_400, 60, 30 * 86_400),
  COOKIE_SECURE: envBool(false),
  /**
   * Proxy hops whose X-Forwarded-For entries name the client (the ingress, the storefront, a TLS
   * terminator in front): addresses or CIDR ranges, or `loopback` / `private`. None by default.
   */
  TRUSTED_PROXIES: envTrustedProxies(),
  RATE_LIMIT_ADDRESS_PER_MINUTE: envInt(300, 1),
  /** Sign-in attempts per email and client address in a window; a success starts again. */
  RATE_LIMIT_SIGNIN_FAILURES: envInt(10, 1),
  /** Failed sign-ins per email from all addresses together in a window. */
  RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL: envInt(100, 1),
  RATE_LIMIT_SIGNUP_PER_EMAIL: envInt(10, 1),
  RATE_LIMIT_WINDOW_SECONDS: envInt(900, 1),
})

export type AuthConfig = v.InferOutput<typeof AuthConfigSchema>
