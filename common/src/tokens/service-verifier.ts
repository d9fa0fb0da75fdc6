import { ConfigError } from '../config.ts'
import type { ServiceInfra } from '../service.ts'
import { type AuthKeysTable, jwksSource } from './jwks-source.ts'
import { createVerifier, type TokenVerifier } from './verifier.ts'

type TokenConfig = { TOKEN_ISSUER: string; TOKEN_AUDIENCE: string; AUTH_JWKS_URL?: string }

/**
 * The verifier of a service that does not sign. Auth's keys come from the host (the embedded
 * start passes auth's own) or from `AUTH_JWKS_URL`, cached in the service's `authKeys` table.
 */
export function serviceVerifier(
  infra: ServiceInfra<TokenConfig>,
  authKeys?: AuthKeysTable,
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
    now: infra.clock,
  })
}
