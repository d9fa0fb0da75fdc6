import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { isKeyEncryptionKey, newKeyEncryptionKey } from './key-sealing.ts'

/**
 * A development AUTH_KEY_ENCRYPTION_KEY for the embedded start and the stack: read from `file`,
 * made there (mode 600) on first use, or held in memory only without a file. Never production's:
 * there the variable is required. `line` says which, for the start-up banner.
 */
export function developmentKeyEncryptionKey(file?: string): { key: string; line: string } {
  const advice = 'set AUTH_KEY_ENCRYPTION_KEY in production'
  if (!file) {
    return {
      key: newKeyEncryptionKey(),
      line: `AUTH_KEY_ENCRYPTION_KEY not set: signing keys sealed with a key held in memory (${advice})`,
    }
  }
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim()
    if (!isKeyEncryptionKey(key)) throw new Error(`${file} does not hold 32 bytes in base64`)
    return {
      key,
      line: `AUTH_KEY_ENCRYPTION_KEY not set: signing keys sealed with the development key in ${file} (${advice})`,
    }
  }
  const key = newKeyEncryptionKey()
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${key}\n`, { mode: 0o600 })
  return {
    key,
    line: `AUTH_KEY_ENCRYPTION_KEY not set: made a development key in ${file} to seal signing keys (${advice})`,
  }
}
