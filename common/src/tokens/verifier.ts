import { createLocalJWKSet, errors, type JWTPayload, jwtVerify } from 'jose'
import { type JsonWebKeySet, TOKEN_ALGORITHM } from './keys.ts'
import { createVerifiedCache, type VerifiedCache } from './verified-cache.ts'

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
  /** Verified claims kept by signature until the token expires (pass one to share or bound it). */
  cache?: VerifiedCache
}

/**
 * Verifies session tokens with the algorithm pinned to ES256, the issuer and audience checked
 * and the expiry enforced. Any failure is `null`: callers decide whether that is a 401.
 */
export function createVerifier(options: VerifierOptions): TokenVerifier {
  let keySet: ReturnType<typeof createLocalJWKSet> | undefined
  let loadedAt = 0
  const reloadInterval = options.reloadIntervalMs ?? 30_000
  const cache = options.cache ?? createVerifiedCache()

  async function keys(force: boolean) {
    if (!keySet || (force && Date.now() - loadedAt >= reloadInterval)) {
      keySet = createLocalJWKSet(await options.loadKeys())
      loadedAt = Date.now()
    }
    return keySet
  }

  /** The token's claims once its signature, issuer, audience and expiry are checked. */
  async function verifiedClaims(token: string, force: boolean): Promise<JWTPayload> {
    const now = options.now?.()
    const cached = cache.get(token, (now ?? new Date()).getTime())
    if (cached) return cached
    const { payload } = await jwtVerify(token, await keys(force), {
      algorithms: [TOKEN_ALGORITHM],
      issuer: options.issuer,
      audience: options.audience,
      currentDate: now,
    })
    cache.set(token, payload)
    return payload
  }

  async function verifyWith(token: string, force: boolean) {
    const payload = await verifiedClaims(token, force)
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
