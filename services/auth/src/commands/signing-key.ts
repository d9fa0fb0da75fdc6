import { type Db, generateSigningKey, type JsonWebKeySet, type SigningKey } from '@twtix/common'
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm'
import { signingKeys } from '../db/schema.ts'
import { type KeyEncryptionKey, openPrivateJwk, sealPrivateJwk } from '../key-sealing.ts'

/**
 * Seals keys stored in plain text (made before keys were sealed): the first start with
 * AUTH_KEY_ENCRYPTION_KEY encrypts them and empties `private_jwk`. Resolves with how many.
 */
export async function sealPlaintextKeys(db: Db, kek: KeyEncryptionKey): Promise<number> {
  const plain = await db
    .select({ kid: signingKeys.kid, privateJwk: signingKeys.privateJwk })
    .from(signingKeys)
    .where(and(isNull(signingKeys.sealedPrivateJwk), isNotNull(signingKeys.privateJwk)))
  for (const row of plain) {
    if (!row.privateJwk) continue
    const sealed = await sealPrivateJwk(kek, row.kid, row.privateJwk)
    await db
      .update(signingKeys)
      .set({ sealedPrivateJwk: sealed, privateJwk: null })
      .where(and(eq(signingKeys.kid, row.kid), isNull(signingKeys.sealedPrivateJwk)))
  }
  return plain.length
}

/** A new key, sealed, stored active: being the newest, it signs from now on. */
export async function addSigningKey(db: Db, kek: KeyEncryptionKey, now: Date): Promise<string> {
  const key = await generateSigningKey()
  await db.insert(signingKeys).values({
    kid: key.kid,
    sealedPrivateJwk: await sealPrivateJwk(kek, key.kid, key.privateJwk),
    publicJwk: key.publicJwk,
    createdAt: now,
  })
  return key.kid
}

/**
 * The key auth signs with: the newest active one, made on first start. Replicas starting
 * together may each make one; each signs with the newest it saw, and both are published.
 */
export async function loadSigningKey(
  db: Db,
  kek: KeyEncryptionKey,
  now: Date,
): Promise<SigningKey> {
  let [row] = await newestActive(db)
  if (!row) {
    await addSigningKey(db, kek, now)
    ;[row] = await newestActive(db)
  }
  if (!row?.sealedPrivateJwk) throw new Error('the newest signing key has no sealed private key')
  const privateJwk = await openPrivateJwk(kek, row.kid, row.sealedPrivateJwk)
  return { kid: row.kid, privateJwk, publicJwk: row.publicJwk }
}

export function newestActive(db: Db) {
  return db
    .select()
    .from(signingKeys)
    .where(eq(signingKeys.active, true))
    .orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid))
    .limit(1)
}

/** Every active public key, for the JWKS endpoint and in-process verifiers. */
export async function publicKeys(db: Db): Promise<JsonWebKeySet> {
  const rows = await db
    .select({ publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(eq(signingKeys.active, true))
  return { keys: rows.map((r) => r.publicJwk) }
}
