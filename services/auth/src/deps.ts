import type { BaseDeps, RateLimiter, TokenSigner, TokenVerifier } from '@twtix/common'
import type { AuthConfig } from './config.ts'
import type { RevokedSessions } from './revoked-sessions.ts'

export type AuthLimiters = {
  /** Every auth request, per client address. */
  address: RateLimiter
  /** Sign-in attempts, per email and client address, counted before the password is checked. */
  signinFailures: RateLimiter
  /** Failed sign-ins per email from every address: bounds guessing spread over many addresses. */
  signinFailuresPerEmail: RateLimiter
  /** Emails whose password is being checked right now: one check at a time per email. */
  checking: Set<string>
  /** Sign-up attempts, per email. */
  signup: RateLimiter
}

export type Deps = BaseDeps & {
  config: Pick<
    AuthConfig,
    | 'TOKEN_TTL_SECONDS'
    | 'SESSION_TTL_SECONDS'
    | 'COOKIE_SECURE'
    | 'TRUSTED_PROXIES'
    | 'ADMIN_EMAILS'
  >
  signer: TokenSigner
  verifier: TokenVerifier
  /** Sessions revoked lately, refused by auth's own verifier. */
  revoked: Pick<RevokedSessions, 'has' | 'add'>
  limiters: AuthLimiters
  jwks: () => Promise<{ keys: object[] }>
}
