import { ConfigError, createVerifier, generateSigningKey, readConfig } from '@twtix/common'
import type { Database } from '@twtix/common/db'
import { decodeProtectedHeader } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthConfigSchema } from '../config.ts'
import { signingKeys } from '../db/schema.ts'
import { importKeyEncryptionKey, newKeyEncryptionKey } from '../key-sealing.ts'
import { authTestDatabase, createTestAuthService, newEmail, TEST_KEK } from '../test-support.ts'
import { listSigningKeys, retireSigningKey, rotateSigningKey } from './rotate-keys.ts'

// Each test gets its own database: keys are global to a database.
let database: Database | undefined
afterEach(async () => {
  await database?.close()
  database = undefined
})

const password = 'correct horse'

async function signUp(auth: Awaited<ReturnType<typeof createTestAuthService>>) {
  const res = await auth.json('/api/users/signup', { email: newEmail(), password })
  return (await res.json()) as { id: string; token: string }
}

const kidOf = (token: string) => decodeProtectedHeader(token).kid as string

describe('signing keys at rest', () => {
  it('stores the private key sealed, never in plain text', async () => {
    database = await authTestDatabase()
    await createTestAuthService(database)
    const rows = await database.db.select().from(signingKeys)
    expect(rows).toHaveLength(1)
    const [row] = rows
    expect(row?.privateJwk).toBeNull()
    expect(row?.sealedPrivateJwk).toMatch(/^v1\.[\w+/=]+\.[\w+/=]+$/)
    expect(row?.sealedPrivateJwk).not.toContain('"d"')
    expect(JSON.stringify(row?.publicJwk)).not.toContain('"d"')
  })

  it('refuses to start with another AUTH_KEY_ENCRYPTION_KEY, with one clear line', async () => {
    database = await authTestDatabase()
    await createTestAuthService(database)
    const wrong = createTestAuthService(database, {
      AUTH_KEY_ENCRYPTION_KEY: newKeyEncryptionKey(),
    })
    await expect(wrong).rejects.toThrow(ConfigError)
    await expect(wrong).rejects.toThrow(
      /^Configuration error: AUTH_KEY_ENCRYPTION_KEY: it does not open the stored signing key [\w-]+ \(a different key sealed it\)$/,
    )
  })

  it('refuses to start without a key encryption key, or with one of the wrong size', async () => {
    database = await authTestDatabase()
    await expect(createTestAuthService(database, { AUTH_KEY_ENCRYPTION_KEY: '' })).rejects.toThrow(
      'Configuration error: AUTH_KEY_ENCRYPTION_KEY: must be 32 random bytes in base64, e.g. `openssl rand -base64 32`; it seals the signing keys (it is missing)',
    )
    expect(() => readConfig(AuthConfigSchema, { AUTH_KEY_ENCRYPTION_KEY: btoa('short') })).toThrow(
      /AUTH_KEY_ENCRYPTION_KEY: must be 32 random bytes in base64.*\(its value is invalid\)/,
    )
  })

  it('seals a key stored in plain text before sealing existed, and keeps signing with it', async () => {
    database = await authTestDatabase()
    const old = await generateSigningKey()
    await database.db
      .insert(signingKeys)
      .values({ kid: old.kid, privateJwk: old.privateJwk, publicJwk: old.publicJwk })
    const auth = await createTestAuthService(database)
    const [row] = await database.db.select().from(signingKeys)
    expect(row?.privateJwk).toBeNull()
    expect(row?.sealedPrivateJwk).toMatch(/^v1\./)
    expect(auth.logger.lines.join('\n')).toContain('signing keys stored in plain text were sealed')
    expect(kidOf((await signUp(auth)).token)).toBe(old.kid)
  })
})

describe('keys:rotate, keys:retire, keys:list', () => {
  it('rotates without a restart; a retired key’s tokens are refused after the reload', async () => {
    database = await authTestDatabase()
    const auth = await createTestAuthService(database)
    const db = database.db
    const first = await signUp(auth)
    const oldKid = kidOf(first.token)
    // A verifier as the other services hold one: auth's keys, reloaded every 300 s.
    const verifier = createVerifier({
      issuer: 'twtix-auth',
      audience: 'twtix',
      loadKeys: auth.service.jwks as never,
      refreshIntervalMs: 300_000,
      now: auth.clock,
    })
    expect(await verifier.verify(first.token)).toMatchObject({ id: first.id })

    auth.clock.advance(1000)
    const newKid = await rotateSigningKey(db, await importKeyEncryptionKey(TEST_KEK), auth.clock())
    expect((await listSigningKeys(db)).map((k) => [k.kid, k.state])).toEqual([
      [newKid, 'current'],
      [oldKid, 'published'],
    ])
    await expect(retireSigningKey(db, newKid, auth.clock())).rejects.toThrow(
      /run keys:rotate first/,
    )
    await expect(retireSigningKey(db, 'no-such-key', auth.clock())).rejects.toThrow(
      /No signing key/,
    )

    // Running auth signs with the new key once it re-reads its keys (AUTH_KEYS_REFRESH_SECONDS).
    auth.clock.advance(299_000)
    const second = await signUp(auth)
    expect(kidOf(second.token)).toBe(newKid)
    expect(await verifier.verify(second.token)).toMatchObject({ id: second.id })

    await retireSigningKey(db, oldKid, auth.clock())
    expect((await listSigningKeys(db)).find((k) => k.kid === oldKid)?.state).toBe('retired')
    const jwks = await (await auth.get('/api/users/.well-known/jwks.json')).json()
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid])
    // Still trusted until the verifier's next reload, then refused, without a restart.
    auth.clock.advance(60_000)
    expect(await verifier.verify(first.token)).not.toBeNull()
    auth.clock.advance(240_000)
    expect(await verifier.verify(first.token)).toBeNull()
    expect(await verifier.verify(second.token)).toMatchObject({ id: second.id })
  })

  it('refuses to rotate with another key encryption key', async () => {
    database = await authTestDatabase()
    const auth = await createTestAuthService(database)
    const other = await importKeyEncryptionKey(newKeyEncryptionKey())
    await expect(rotateSigningKey(database.db, other, auth.clock())).rejects.toThrow(
      /does not open the stored signing key/,
    )
    expect(await listSigningKeys(database.db)).toHaveLength(1)
  })
})
