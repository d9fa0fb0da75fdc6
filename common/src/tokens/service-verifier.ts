import type { ServiceInfra } from '../service.ts'
import { createVerifier, type TokenVerifier } from './verifier.ts'

/** The verifier of a service that does not sign: auth's keys come from its host (`infra.keys`). */
export function serviceVerifier(
  infra: ServiceInfra<{ TOKEN_ISSUER: string; TOKEN_AUDIENCE: string }>,
): TokenVerifier {
  const keys = infra.keys
  if (!keys) throw new Error('No source of auth public keys: set AUTH_JWKS_URL')
  return createVerifier({
    issuer: infra.config.TOKEN_ISSUER,
    audience: infra.config.TOKEN_AUDIENCE,
    loadKeys: keys,
    now: infra.clock,
  })
}
