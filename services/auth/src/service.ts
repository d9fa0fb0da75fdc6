import { fileURLToPath } from 'node:url'
import {
  createRateLimiter,
  createSigner,
  createVerifier,
  type Service,
  type ServiceInfra,
} from '@twtix/common'
import { migrateService } from '@twtix/common/db'
import { createApp } from './app.ts'
import { loadSigningKey, publicKeys } from './commands/signing-key.ts'
import type { AuthConfig } from './config.ts'
import type { Deps } from './deps.ts'

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle/auth', import.meta.url))

export type AuthService = Service & { jwks: Deps['jwks'] }

export async function createAuthService(infra: ServiceInfra<AuthConfig>): Promise<AuthService> {
  const { config, database, logger, clock } = infra
  const db = database.db
  await migrateService(db, 'auth', migrationsFolder)
  const key = await loadSigningKey(db)
  const tokenOptions = { issuer: config.TOKEN_ISSUER, audience: config.TOKEN_AUDIENCE }
  const signer = await createSigner(key, { ...tokenOptions, ttlSeconds: config.TOKEN_TTL_SECONDS })
  const jwks = () => publicKeys(db)
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000
  const deps: Deps = {
    db,
    clock,
    logger,
    config,
    signer,
    jwks,
    verifier: createVerifier({ ...tokenOptions, loadKeys: jwks, now: clock }),
    ready: database.ping,
    limiters: {
      address: createRateLimiter({
        limit: config.RATE_LIMIT_ADDRESS_PER_MINUTE,
        windowMs: 60_000,
        clock,
      }),
      signinFailures: createRateLimiter({
        limit: config.RATE_LIMIT_SIGNIN_FAILURES,
        windowMs,
        clock,
      }),
      signinFailuresPerEmail: createRateLimiter({
        limit: config.RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL,
        windowMs,
        clock,
      }),
      checking: new Set(),
      signup: createRateLimiter({ limit: config.RATE_LIMIT_SIGNUP_PER_EMAIL, windowMs, clock }),
    },
  }
  const app = createApp(deps)
  return {
    name: 'auth',
    app,
    jwks,
    summary: `users and sessions (ES256 key ${key.kid.slice(0, 8)})`,
    start: async () => {},
    stop: async () => {},
  }
}
