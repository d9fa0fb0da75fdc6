/**
 * The refresh cookie's value: `<session id>.<secret>`. The secret is 32 random bytes; only its
 * SHA-256 is stored, so a copy of the database refreshes nothing.
 */
export function newRefreshSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

export async function hashRefreshSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The session id and secret of a refresh cookie; null for anything else. */
export function parseRefreshCookie(
  value: string | undefined,
): { sessionId: string; secret: string } | null {
  const [sessionId, secret, ...rest] = (value ?? '').split('.')
  if (!sessionId || !secret || rest.length > 0 || !UUID.test(sessionId)) return null
  if (!/^[\w-]{43}$/.test(secret)) return null
  return { sessionId, secret }
}

export const refreshCookieValue = (sessionId: string, secret: string) => `${sessionId}.${secret}`
