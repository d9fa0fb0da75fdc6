import { exportJWK, generateKeyPair, type JWK } from 'jose'

/** The one algorithm twtix signs and accepts; verification never trusts the token's header. */
export const TOKEN_ALGORITHM = 'ES256'

export type SigningKey = { kid: string; privateJwk: JWK; publicJwk: JWK }

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true })
  const kid = crypto.randomUUID()
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' }
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' }
  return { kid, privateJwk, publicJwk }
}

export type JsonWebKeySet = { keys: JWK[] }
