import { createLocalJWKSet, errors, type JWTPayload, jwtVerify } from 'jose'
import { type JsonWebKeySet, TOKEN_ALGORITHM } from './keys.ts'
import { createVerifiedCache, type VerifiedCache } from './verified-cache.ts'

/** What a user may do: an admin also cancels events, resolves claims and sees payouts. */
export type Role = 'user' | 'admin'

export type UserPayload = { id: string; email: string; role: Role }

/** A verified token: its user and the session it belongs to (the `sid` claim). */
export type VerifiedSession = { user: UserPayload; sessionId: string }

export type TokenVerifier = {
  verify(token: string): Promise<UserPayload | null>
  /**
   * The same checks, and the session. `graceSeconds` accepts a token expired that long ago
   * (sign-out must still find the session of an expired token).
   */
  verifySession?(token: string, graceSeconds?: number): Promise<VerifiedSession | null>
}

export type VerifierOptions = {
  issuer: string
  audience: string
  /** Where the public keys come from: auth's key table, its JWKS URL, config or a cache. */
  loadKeys: () => Promise<JsonWebKeySet>
  /** Unknown key ids trigger a reload at most this often (a new key after rotation). */
  reloadIntervalMs?: number
  /**
   * The keys are reloaded once they are this old (by `now`), so a retired key stops being
   * trusted without a restart. Default: never.
   */
  refreshIntervalMs?: number
  /** Whether a session was revoked (signed out): its tokens are refused. */
  isRevoked?: (sessionId: string) => boolean
  now?: () => Date
  /** Verified claims kept by signature until the token expires (pass one to share or bound it). */
  cache?: VerifiedCache
}

/**
 * Verifies session tokens with the algorithm pinned to ES256, the issuer and audience checked,
 * the expiry enforced and the session not revoked. Any failure is `null`: callers decide
 * whether that is a 401.
 */
export function createVerifier(options: VerifierOptions): TokenVerifier {
  let keySet: ReturnType<typeof createLocalJWKSet> | undefined
  let loadedAt = 0
  let refreshedAt = 0
  const reloadInterval = options.reloadIntervalMs ?? 30_000
  const cache = options.cache ?? createVerifiedCache()
  const now = () => (options.now ? options.now() : new Date()).getTime()

  // One reload at a time: requests arriving meanwhile wait for it rather than each fetching.
  let reloading: Promise<void> | undefined
  async function reload() {
    try {
      keySet = createLocalJWKSet(await options.loadKeys())
      loadedAt = Date.now()
      // A key retired since the last load must not live on in tokens verified with it.
      cache.clear()
    } catch (err) {
      // Keys already held stay in use (auth down, nothing stored); the next refresh tries again.
      if (!keySet) throw err
    } finally {
      refreshedAt = now()
    }
  }

  async function keys(force: boolean) {
    const unknownKid = force && Date.now() - loadedAt >= reloadInterval
    const stale =
      options.refreshIntervalMs !== undefined && now() - refreshedAt >= options.refreshIntervalMs
    if (!keySet || unknownKid || stale) {
      reloading ??= reload().finally(() => {
        reloading = undefined
      })
      await reloading
    }
    return keySet as ReturnType<typeof createLocalJWKSet>
  }

  /**
   * The token's claims once its signature, issuer, audience and expiry are checked; cached by
   * signature until `exp`. A token accepted only thanks to `graceSeconds` is not cached.
   */
  async function verifiedClaims(token: string, force: boolean, graceSeconds: number) {
    const keysNow = await keys(force)
    const cached = cache.get(token, now())
    if (cached) return cached
    const { payload } = await jwtVerify(token, keysNow, {
      algorithms: [TOKEN_ALGORITHM],
      issuer: options.issuer,
      audience: options.audience,
      currentDate: options.now?.(),
      clockTolerance: graceSeconds,
    })
    if (typeof payload.exp === 'number' && payload.exp * 1000 > now()) cache.set(token, payload)
    return payload as JWTPayload
  }

  async function verifyWith(token: string, force: boolean, graceSeconds: number) {
    const { sub, email, sid, role } = await verifiedClaims(token, force, graceSeconds)
    if (typeof sub !== 'string' || typeof email !== 'string' || typeof sid !== 'string') return null
    // Per request, above the cache: a session signed out since is refused at once.
    if (options.isRevoked?.(sid)) return null
    // Tokens signed before roles existed carry none: their users are users.
    const user: UserPayload = { id: sub, email, role: role === 'admin' ? 'admin' : 'user' }
    return { user, sessionId: sid }
  }

  async function verifySession(token: string, graceSeconds = 0) {
    try {
      return await verifyWith(token, false, graceSeconds)
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) return null
      try {
        return await verifyWith(token, true, graceSeconds)
      } catch {
        return null
      }
    }
  }

  return {
    verifySession,
    async verify(token) {
      return (await verifySession(token))?.user ?? null
    },
  }
}
