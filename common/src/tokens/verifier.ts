import { createLocalJWKSet, errors, jwtVerify } from 'jose'
import { type JsonWebKeySet, TOKEN_ALGORITHM } from './keys.ts'

export type UserPayload = { id: string; email: string }

export type TokenVerifier = { verify(token: string): Promise<UserPayload | null> }

export type VerifierOptions = {
  issuer: string
  audience: string
  /** Where the public keys come from: auth's key table, its JWKS URL, config or a cache. */
  loadKeys: () => Promise<JsonWebKeySet>
  /** Unknown key ids trigger a reload at most this often (a new key after rotation). */
  reloadIntervalMs?: number
  now?: () => Date
}

/**
 * Verifies session tokens with the algorithm pinned to ES256, the issuer and audience checked
 * and the expiry enforced. Any failure is `null`: callers decide whether that is a 401.
 */
export function createVerifier(options: VerifierOptions): TokenVerifier {
  let keySet: ReturnType<typeof createLocalJWKSet> | undefined
  let loadedAt = 0
  const reloadInterval = options.reloadIntervalMs ?? 30_000

  async function keys(force: boolean) {
    if (!keySet || (force && Date.now() - loadedAt >= reloadInterval)) {
      keySet = createLocalJWKSet(await options.loadKeys())
      loadedAt = Date.now()
    }
    return keySet
  }

  async function verifyWith(token: string, force: boolean) {
    const { payload } = await jwtVerify(token, await keys(force), {
      algorithms: [TOKEN_ALGORITHM],
      issuer: options.issuer,
      audience: options.audience,
      currentDate: options.now?.(),
    })
    if (typeof payload.sub !== 'string' || typeof payload.email !== 'string') return null
    return { id: payload.sub, email: payload.email }
  }

  return {
    async verify(token) {
      try {
        return await verifyWith(token, false)
      } catch (err) {
        if (!(err instanceof errors.JWKSNoMatchingKey)) return null
        try {
          return await verifyWith(token, true)
        } catch {
          return null
        }
      }
    },
  }
}
