import type { BaseDeps, RateLimiter, TokenSigner } from '@twtix/common'
import type { AuthConfig } from './config.ts'

export type AuthLimiters = {
  /** Every auth request, per client address. */
  address: RateLimiter
  /** Failed sign-ins, per email. */
  signinFailures: RateLimiter
  /** Sign-up attempts, per email. */
  signup: RateLimiter
}

export type Deps = BaseDeps & {
  config: Pick<AuthConfig, 'TOKEN_TTL_SECONDS' | 'COOKIE_SECURE' | 'TRUST_PROXY'>
  signer: TokenSigner
  limiters: AuthLimiters
  jwks: () => Promise<{ keys: object[] }>
}
