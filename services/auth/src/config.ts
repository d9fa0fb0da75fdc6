import { baseConfigEntries, envBool, envInt, envTrustedProxies } from '@twtix/common'
import * as v from 'valibot'
import { isKeyEncryptionKey } from './key-sealing.ts'

export const KEK_FORMAT = 'must be 32 random bytes in base64, e.g. `openssl rand -base64 32`'

export const AuthConfigSchema = v.object({
  ...baseConfigEntries(3001),
  TOKEN_ISSUER: v.optional(v.string(), 'twtix-auth'),
  TOKEN_AUDIENCE: v.optional(v.string(), 'twtix'),
  /** Lifetime of an access token: how long a token copied before sign-out can matter at most. */
  TOKEN_TTL_SECONDS: envInt(900, 60, 30 * 86_400),
  /** Lifetime of a session: refresh renews the access token until then, then sign in again. */
  SESSION_TTL_SECONDS: envInt(86_400, 60, 365 * 86_400),
  /**
   * Seals the private signing keys at rest (AES-256-GCM): 32 random bytes in base64. Required:
   * the embedded start and the stack make a development one and say so.
   */
  AUTH_KEY_ENCRYPTION_KEY: v.optional(v.pipe(v.string(), v.check(isKeyEncryptionKey, KEK_FORMAT))),
  /** The signing key and the published keys are re-read this often (after keys:rotate/retire). */
  AUTH_KEYS_REFRESH_SECONDS: envInt(300, 1, 86_400),
  /** Sessions revoked by another replica of auth are seen within this. */
  REVOCATIONS_REFRESH_SECONDS: envInt(5, 1, 3600),
  /**
   * Emails (comma-separated, any case) whose users are admins: set on sign-up, or on the next
   * sign-in of a user who signed up before. Removing an email does not demote its user.
   */
  ADMIN_EMAILS: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) =>
        s
          .split(',')
          .map((e) => e.trim().toLowerCase())
          .filter((e) => e !== ''),
      ),
      v.check(
        (emails) => emails.every((e) => e.includes('@')),
        'must be emails separated by commas',
      ),
    ),
    '',
  ),
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
