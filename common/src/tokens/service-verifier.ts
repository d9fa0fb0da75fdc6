import { ConfigError } from '../config.ts'
import type { ServiceInfra } from '../service.ts'
import { type AuthKeysTable, jwksSource } from './jwks-source.ts'
import { createRevocations, type Revocations, type RevokedSessionsTable } from './revocations.ts'
import { createVerifier, type TokenVerifier } from './verifier.ts'

type TokenConfig = {
  TOKEN_ISSUER: string
  TOKEN_AUDIENCE: string
  AUTH_JWKS_URL?: string
  AUTH_KEYS_REFRESH_SECONDS: number
  REVOCATIONS_REFRESH_SECONDS: number
}

/** The revoked sessions of a verifying service, re-read every REVOCATIONS_REFRESH_SECONDS. */
export async function serviceRevocations(
  infra: ServiceInfra<TokenConfig>,
  table: RevokedSessionsTable,
): Promise<Revocations> {
  const revocations = createRevocations({
    db: infra.database.db,
    table,
    clock: infra.clock,
    logger: infra.logger,
    refreshMs: infra.config.REVOCATIONS_REFRESH_SECONDS * 1000,
  })
  await revocations.refresh()
  return revocations
}

/**
 * The verifier of a service that does not sign. Auth's keys come from the host (the embedded
 * start passes auth's own) or from `AUTH_JWKS_URL`, cached in the service's `authKeys` table,
 * and are reloaded every AUTH_KEYS_REFRESH_SECONDS; tokens of revoked sessions are refused.
 */
export function serviceVerifier(
  infra: ServiceInfra<TokenConfig>,
  authKeys?: AuthKeysTable,
  revocations?: Pick<Revocations, 'has'>,
): TokenVerifier {
  const { config } = infra
  const keys =
    infra.keys ??
    (config.AUTH_JWKS_URL && authKeys
      ? jwksSource({
          url: config.AUTH_JWKS_URL,
          db: infra.database.db,
          table: authKeys,
          logger: infra.logger,
        })
      : undefined)
  if (!keys) {
    throw new ConfigError(
      'Configuration error: AUTH_JWKS_URL: required to verify sessions (it is missing)',
    )
  }
  return createVerifier({
    issuer: config.TOKEN_ISSUER,
    audience: config.TOKEN_AUDIENCE,
    loadKeys: keys,
    refreshIntervalMs: config.AUTH_KEYS_REFRESH_SECONDS * 1000,
    isRevoked: revocations && ((sessionId) => revocations.has(sessionId)),
    now: infra.clock,
  })
}
