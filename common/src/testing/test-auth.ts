import { generateSigningKey, type SigningKey } from '../tokens/keys.ts'
import { createSigner, type TokenSigner } from '../tokens/signer.ts'
import {
  createVerifier,
  type Role,
  type TokenVerifier,
  type UserPayload,
} from '../tokens/verifier.ts'

export const TEST_ISSUER = 'twtix-auth'
export const TEST_AUDIENCE = 'twtix'

export type TestAuth = {
  key: SigningKey
  signer: TokenSigner
  verifier: TokenVerifier
  /** A new user id and a bearer header for it. */
  user(email?: string): Promise<{ user: UserPayload; headers: { Authorization: string } }>
  /** The same for a new admin. */
  admin(email?: string): Promise<{ user: UserPayload; headers: { Authorization: string } }>
}

/** A signing key, a signer and a verifier as auth and the other services would hold them. */
export async function createTestAuth(): Promise<TestAuth> {
  const key = await generateSigningKey()
  const signer = await createSigner(key, {
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    ttlSeconds: 3600,
  })
  const verifier = createVerifier({
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    loadKeys: async () => ({ keys: [key.publicJwk] }),
  })
  async function as(role: Role, email: string | undefined) {
    const id = crypto.randomUUID()
    const user = { id, email: email ?? `${id.slice(0, 8)}@example.test`, role }
    return {
      user,
      headers: {
        Authorization: `Bearer ${await signer.sign(user, { sessionId: crypto.randomUUID() })}`,
      },
    }
  }
  return {
    key,
    signer,
    verifier,
    user: (email) => as('user', email),
    admin: (email) => as('admin', email),
  }
}
