import { importJWK, SignJWT } from 'jose'
import { type SigningKey, TOKEN_ALGORITHM } from './keys.ts'
import type { UserPayload } from './verifier.ts'

export type TokenOptions = { issuer: string; audience: string; ttlSeconds: number }

export type TokenSigner = { sign(user: UserPayload): Promise<string> }

/** Signs session tokens; only the auth service holds a private key. */
export async function createSigner(key: SigningKey, options: TokenOptions): Promise<TokenSigner> {
  const privateKey = await importJWK(key.privateJwk, TOKEN_ALGORITHM)
  return {
    sign: (user) =>
      new SignJWT({ email: user.email })
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt()
        .setExpirationTime(`${options.ttlSeconds}s`)
        .sign(privateKey),
  }
}
