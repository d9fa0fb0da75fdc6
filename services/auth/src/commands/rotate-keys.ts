import { BadRequestError, type Db, NotFoundError } from '@twtix/common'
import { and, desc, eq } from 'drizzle-orm'
import { signingKeys } from '../db/schema.ts'
import { type KeyEncryptionKey, openPrivateJwk } from '../key-sealing.ts'
import { addSigningKey, newestActive } from './signing-key.ts'

export type KeyState = 'current' | 'published' | 'retired'
export type KeyListing = { kid: string; state: KeyState; createdAt: Date; retiredAt: Date | null }

/** `keys:list`: newest first; the newest active key signs, every active one verifies. */
export async function listSigningKeys(db: Db): Promise<KeyListing[]> {
  const rows = await db
    .select({
      kid: signingKeys.kid,
      active: signingKeys.active,
      createdAt: signingKeys.createdAt,
      retiredAt: signingKeys.retiredAt,
    })
    .from(signingKeys)
    .orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid))
  const current = rows.find((r) => r.active)?.kid
  return rows.map((r) => ({
    kid: r.kid,
    state: r.kid === current ? 'current' : r.active ? 'published' : 'retired',
    createdAt: r.createdAt,
    retiredAt: r.retiredAt,
  }))
}

/**
 * `keys:rotate`: a new key signs from now on (running auth picks it up within
 * AUTH_KEYS_REFRESH_SECONDS); the old ones stay published until retired.
 */
export async function rotateSigningKey(db: Db, kek: KeyEncryptionKey, now: Date): Promise<string> {
  // A new key sealed under another key encryption key would stop auth at its next start.
  const [current] = await newestActive(db)
  if (current?.sealedPrivateJwk) await openPrivateJwk(kek, current.kid, current.sealedPrivateJwk)
  return addSigningKey(db, kek, now)
}

/**
 * `keys:retire <kid>`: the key is no longer published, so its tokens are refused once the
 * verifiers reload (AUTH_KEYS_REFRESH_SECONDS). The current key cannot be retired: rotate first.
 */
export async function retireSigningKey(db: Db, kid: string, now: Date): Promise<void> {
  const keys = await listSigningKeys(db)
  const key = keys.find((k) => k.kid === kid)
  if (!key) throw new NotFoundError(`No signing key ${kid}`)
  if (key.state === 'retired') return
  if (key.state === 'current') {
    throw new BadRequestError(`${kid} is the current signing key: run keys:rotate first`)
  }
  await db
    .update(signingKeys)
    .set({ active: false, retiredAt: now })
    .where(and(eq(signingKeys.kid, kid), eq(signingKeys.active, true)))
}
