import { importJWK, SignJWT } from 'jose'
import { type SigningKey, TOKEN_ALGORITHM } from './keys.ts'
import type { UserPayload } from './verifier.ts'

export type TokenOptions = {
  issuer: string
  audience: string
  ttlSeconds: number
  now?: () => Date
}

/** The session a token belongs to (`sid`); the token never outlives `expiresAt`. */
export type SessionClaims = { sessionId: string; expiresAt?: Date }

/** The user a token is signed for; without a role they are a user. */
export type SignedUser = Omit<UserPayload, 'role'> & { role?: UserPayload['role'] }

export type TokenSigner = { sign(user: SignedUser, session: SessionClaims): Promise<string> }

/** Signs session tokens; only the auth service holds a private key. */
export async function createSigner(key: SigningKey, options: TokenOptions): Promise<TokenSigner> {
  const privateKey = await importJWK(key.privateJwk, TOKEN_ALGORITHM)
  return {
    sign: (user, session) => {
      const issuedAt = Math.floor((options.now?.() ?? new Date()).getTime() / 1000)
      const ttlEnd = issuedAt + options.ttlSeconds
      const sessionEnd = session.expiresAt ? Math.floor(session.expiresAt.getTime() / 1000) : ttlEnd
      return new SignJWT({ email: user.email, role: user.role ?? 'user', sid: session.sessionId })
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(Math.min(ttlEnd, sessionEnd))
        .sign(privateKey)
    },
  }
}
