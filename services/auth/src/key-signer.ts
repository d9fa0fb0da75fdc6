import { type Clock, createSigner, type Db, type TokenSigner } from '@twtix/common'
import { loadSigningKey } from './commands/signing-key.ts'
import type { KeyEncryptionKey } from './key-sealing.ts'

export type KeySigner = TokenSigner & { kid(): string }

/**
 * Signs with the current key, re-read every `refreshMs` (by the clock): after `keys:rotate`
 * every replica of auth signs with the new key within that time, without a restart.
 */
export async function createKeySigner(options: {
  db: Db
  kek: KeyEncryptionKey
  clock: Clock
  refreshMs: number
  tokens: { issuer: string; audience: string; ttlSeconds: number }
}): Promise<KeySigner> {
  const { db, kek, clock } = options
  const load = async () => {
    const key = await loadSigningKey(db, kek, clock())
    return { kid: key.kid, signer: await createSigner(key, { ...options.tokens, now: clock }) }
  }
  let current = await load()
  let loadedAt = clock().getTime()
  return {
    kid: () => current.kid,
    async sign(user, session) {
      if (clock().getTime() - loadedAt >= options.refreshMs) {
        loadedAt = clock().getTime()
        current = await load()
      }
      return current.signer.sign(user, session)
    },
  }
}
