import { generateSigningKey } from '@twtix/common'
import { asc } from 'drizzle-orm'
import {
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWTPayload,
  SignJWT,
} from 'jose'
import { signingKeys } from '../../services/auth/src/db/schema.ts'
import { importKeyEncryptionKey, openPrivateJwk } from '../../services/auth/src/key-sealing.ts'
import { KEY_ENCRYPTION_KEY, type Marketplace, type User } from './marketplace.ts'

/** The ways a session token is broken or forged; the suites run one case per name. */
export const BAD_TOKEN_NAMES = [
  'garbage',
  'three empty parts',
  'header only',
  'expired',
  'not yet valid',
  'another issuer',
  'another audience',
  'signed by another ES256 key with the same kid',
  'alg none',
  'HS256 signed with the public JWK as secret',
  'payload swapped under the real signature',
  'signature stripped',
] as const

export type BadTokenName = (typeof BAD_TOKEN_NAMES)[number]

/** A token that must not get anyone in, and why. */
export type BadToken = { name: BadTokenName; token: string }

const encode = (value: unknown) => base64url.encode(JSON.stringify(value))

/**
 * Tokens forged around a real one of `user`: the same claims, each broken in one way. The
 * expired and wrong-issuer ones are signed with auth's own key (read from its table), so the
 * signature is good and only the claim under test is wrong.
 */
export async function forgeTokens(market: Marketplace, user: User): Promise<BadToken[]> {
  const header = decodeProtectedHeader(user.token)
  const claims = decodeJwt(user.token)
  const kid = header.kid as string
  const nowSeconds = Math.floor(market.clock().getTime() / 1000)
  const [authKey] = await market.db
    .select()
    .from(signingKeys)
    .orderBy(asc(signingKeys.createdAt))
    .limit(1)
  if (!authKey?.sealedPrivateJwk) throw new Error('auth has no signing key')
  const kek = await importKeyEncryptionKey(KEY_ENCRYPTION_KEY)
  const privateJwk = await openPrivateJwk(kek, authKey.kid, authKey.sealedPrivateJwk)
  const realKey = await importJWK(privateJwk, 'ES256')

  const signWithRealKey = (payload: JWTPayload) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(realKey)

  const other = await generateSigningKey()
  const otherKey = await importJWK({ ...other.privateJwk, kid }, 'ES256')
  const publicJwk = authKey.publicJwk

  const [h, , s] = user.token.split('.')
  const tokens: BadToken[] = [
    { name: 'garbage', token: 'not-a-token' },
    { name: 'three empty parts', token: '..' },
    { name: 'header only', token: `${encode(header)}..` },
    {
      name: 'expired',
      token: await signWithRealKey({ ...claims, iat: nowSeconds - 7200, exp: nowSeconds - 60 }),
    },
    {
      name: 'not yet valid',
      token: await signWithRealKey({ ...claims, nbf: nowSeconds + 3600 }),
    },
    {
      name: 'another issuer',
      token: await signWithRealKey({ ...claims, iss: 'someone-else' }),
    },
    {
      name: 'another audience',
      token: await signWithRealKey({ ...claims, aud: 'another-app' }),
    },
    {
      name: 'signed by another ES256 key with the same kid',
      token: await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .sign(otherKey),
    },
    {
      name: 'alg none',
      token: `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`,
    },
    {
      name: 'HS256 signed with the public JWK as secret',
      token: await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
    },
    {
      name: 'payload swapped under the real signature',
      token: `${h}.${encode({ ...claims, sub: crypto.randomUUID() })}.${s}`,
    },
    {
      name: 'signature stripped',
      token: `${h}.${encode(claims)}.`,
    },
  ]
  if (tokens.map((t) => t.name).join() !== BAD_TOKEN_NAMES.join()) {
    throw new Error('forgeTokens and BAD_TOKEN_NAMES disagree')
  }
  return tokens
}
