import { fileURLToPath } from 'node:url'
import {
  ConfigError,
  createRateLimiter,
  createVerifier,
  type Service,
  type ServiceInfra,
  serviceEvents,
} from '@twtix/common'
import { migrateService } from '@twtix/common/db'
import { createApp } from './app.ts'
import { publicKeys, sealPlaintextKeys } from './commands/signing-key.ts'
import { type AuthConfig, KEK_FORMAT } from './config.ts'
import { outbox, processedEvents, sessions } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { importKeyEncryptionKey } from './key-sealing.ts'
import { createKeySigner } from './key-signer.ts'
import { createRevokedSessions } from './revoked-sessions.ts'

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle/auth', import.meta.url))

export type AuthService = Service & { jwks: Deps['jwks'] }

const DAY_MS = 86_400_000

export async function createAuthService(infra: ServiceInfra<AuthConfig>): Promise<AuthService> {
  const { config, database, logger, clock } = infra
  const db = database.db
  await migrateService(db, 'auth', migrationsFolder)
  // Fails closed: signing keys are never stored unsealed (the embedded start and the stack make
  // a development key and say so).
  if (!config.AUTH_KEY_ENCRYPTION_KEY) {
    throw new ConfigError(
      `Configuration error: AUTH_KEY_ENCRYPTION_KEY: ${KEK_FORMAT}; it seals the signing keys (it is missing)`,
    )
  }
  const kek = await importKeyEncryptionKey(config.AUTH_KEY_ENCRYPTION_KEY)
  const sealed = await sealPlaintextKeys(db, kek)
  if (sealed > 0) logger.warn('signing keys stored in plain text were sealed', { count: sealed })
  const keysRefreshMs = config.AUTH_KEYS_REFRESH_SECONDS * 1000
  const tokenOptions = { issuer: config.TOKEN_ISSUER, audience: config.TOKEN_AUDIENCE }
  const signer = await createKeySigner({
    db,
    kek,
    clock,
    refreshMs: keysRefreshMs,
    tokens: { ...tokenOptions, ttlSeconds: config.TOKEN_TTL_SECONDS },
  })
  const revoked = createRevokedSessions({
    db,
    clock,
    logger,
    tokenTtlMs: config.TOKEN_TTL_SECONDS * 1000,
    refreshMs: config.REVOCATIONS_REFRESH_SECONDS * 1000,
  })
  await revoked.refresh()
  const events = serviceEvents(infra, {
    name: 'auth',
    outbox,
    processed: processedEvents,
    // A session past its end is refused anyway; a day later it is forgotten.
    retained: [{ table: sessions, column: sessions.expiresAt, keepMs: DAY_MS }],
  })
  const jwks = () => publicKeys(db)
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000
  const deps: Deps = {
    db,
    clock,
    logger,
    config,
    signer,
    jwks,
    revoked,
    relay: events.relay,
    verifier: createVerifier({
      ...tokenOptions,
      loadKeys: jwks,
      refreshIntervalMs: keysRefreshMs,
      isRevoked: revoked.has,
      now: clock,
    }),
    ready: events.ready,
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
    summary: `users and sessions (ES256 key ${signer.kid().slice(0, 8)}, sealed; access tokens ${config.TOKEN_TTL_SECONDS}s, sessions ${config.SESSION_TTL_SECONDS}s)`,
    start: async () => {
      await events.start({})
      revoked.start()
    },
    stop: async () => {
      revoked.stop()
      await events.stop()
    },
  }
}
