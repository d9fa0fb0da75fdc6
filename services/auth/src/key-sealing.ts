import { ConfigError } from '@twtix/common'
import type { JWK } from 'jose'

/** The key that seals signing keys: AUTH_KEY_ENCRYPTION_KEY, 32 bytes (AES-256-GCM). */
export type KeyEncryptionKey = CryptoKey

const VERSION = 'v1'
const encoder = new TextEncoder()

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

/** Whether `text` is base64 of exactly 32 bytes (the config check). */
export function isKeyEncryptionKey(text: string): boolean {
  try {
    return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && fromBase64(text).length === 32
  } catch {
    return false
  }
}

export function importKeyEncryptionKey(base64: string): Promise<KeyEncryptionKey> {
  return crypto.subtle.importKey('raw', fromBase64(base64), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ])
}

/** A new random key encryption key in base64 (what `openssl rand -base64 32` prints). */
export function newKeyEncryptionKey(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(32)))
}

/**
 * `v1.<iv>.<ciphertext>`: the private JWK encrypted with AES-256-GCM, the key id as additional
 * data, so a sealed key moved to another row does not open.
 */
export async function sealPrivateJwk(kek: KeyEncryptionKey, kid: string, jwk: JWK) {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const data = encoder.encode(JSON.stringify(jwk))
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(kid) },
    kek,
    data,
  )
  return [VERSION, toBase64(iv), toBase64(new Uint8Array(sealed))].join('.')
}

/** Opens a sealed key; a wrong key encryption key stops auth with one clear line. */
export async function openPrivateJwk(kek: KeyEncryptionKey, kid: string, sealed: string) {
  const [version, iv, data] = sealed.split('.')
  try {
    if (version !== VERSION || !iv || !data) throw new Error('not a sealed key')
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(iv), additionalData: encoder.encode(kid) },
      kek,
      fromBase64(data),
    )
    return JSON.parse(new TextDecoder().decode(plain)) as JWK
  } catch {
    throw new ConfigError(
      `Configuration error: AUTH_KEY_ENCRYPTION_KEY: it does not open the stored signing key ${kid} (a different key sealed it)`,
    )
  }
}
