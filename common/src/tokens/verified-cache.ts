import type { JWTPayload } from 'jose'

export type VerifiedCache = {
  /** The claims of `token` verified earlier, while it has not expired; undefined otherwise. */
  get(token: string, nowMs: number): JWTPayload | undefined
  /** Remembers claims whose signature was just verified; tokens without `exp` are not kept. */
  set(token: string, claims: JWTPayload): void
  /** Forgets everything (the key set changed: a retired key's tokens must be checked again). */
  clear(): void
  readonly size: number
}

/**
 * Verified token claims by signature, so a client's every request does not pay an ECDSA check
 * (about a fifth of a millisecond of CPU). An entry never outlives its token's `exp`, and at most
 * `maxEntries` are kept (the oldest goes first). Only the signature and claims check is cached:
 * whatever is decided per request (revoked sessions, say) belongs on top of it.
 */
export function createVerifiedCache(maxEntries = 10_000): VerifiedCache {
  const entries = new Map<string, { token: string; claims: JWTPayload; expiresAtMs: number }>()
  const signatureOf = (token: string) => token.slice(token.lastIndexOf('.') + 1)
  return {
    get(token, nowMs) {
      const key = signatureOf(token)
      const entry = entries.get(key)
      if (!entry) return undefined
      // The signature covers the header and the claims: a token is a hit only as a whole.
      if (entry.token !== token) return undefined
      if (nowMs >= entry.expiresAtMs) {
        entries.delete(key)
        return undefined
      }
      return entry.claims
    },
    set(token, claims) {
      if (typeof claims.exp !== 'number' || maxEntries <= 0) return
      const key = signatureOf(token)
      entries.delete(key)
      entries.set(key, { token, claims, expiresAtMs: claims.exp * 1000 })
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value as string
        entries.delete(oldest)
      }
    },
    clear() {
      entries.clear()
    },
    get size() {
      return entries.size
    },
  }
}
