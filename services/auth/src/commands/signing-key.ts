import { type Db, generateSigningKey, type JsonWebKeySet, type SigningKey } from '@twtix/common'
import { asc, eq } from 'drizzle-orm'
import { signingKeys } from '../db/schema.ts'

/**
 * The key auth signs with: the oldest active one, created on first start. Replicas starting
 * together may each insert one; all of them then agree on the oldest.
 */
export async function loadSigningKey(db: Db): Promise<SigningKey> {
  const existing = await oldestActive(db)
  if (existing) return existing
  const key = await generateSigningKey()
  await db
    .insert(signingKeys)
    .values({ kid: key.kid, privateJwk: key.privateJwk, publicJwk: key.publicJwk })
    .onConflictDoNothing()
  return (await oldestActive(db)) ?? key
}

async function oldestActive(db: Db): Promise<SigningKey | undefined> {
  const [row] = await db
    .select()
    .from(signingKeys)
    .where(eq(signingKeys.active, true))
    .orderBy(asc(signingKeys.createdAt), asc(signingKeys.kid))
    .limit(1)
  return row && { kid: row.kid, privateJwk: row.privateJwk, publicJwk: row.publicJwk }
}

/** Every active public key, for the JWKS endpoint and in-process verifiers. */
export async function publicKeys(db: Db): Promise<JsonWebKeySet> {
  const rows = await db
    .select({ publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(eq(signingKeys.active, true))
  return { keys: rows.map((r) => r.publicJwk) }
}
