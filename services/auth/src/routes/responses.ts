import * as v from 'valibot'

const UserId = v.pipe(v.string(), v.uuid(), v.description('The user id'))
const Email = v.pipe(v.string(), v.email())
const Role = v.pipe(
  v.picklist(['user', 'admin']),
  v.description('`admin` for the emails in ADMIN_EMAILS: admins cancel events and resolve claims'),
)

/** What signup and signin return: the user and the token to send as `Authorization: Bearer`. */
export const SessionBody = v.pipe(
  v.object({
    id: UserId,
    email: Email,
    role: Role,
    token: v.pipe(
      v.string(),
      v.description('The session (a JWT); the same value is set as the session cookie'),
    ),
  }),
  v.metadata({ ref: 'Session' }),
)

export const CurrentUserBody = v.pipe(
  v.object({
    currentUser: v.nullable(
      v.pipe(v.object({ id: UserId, email: Email, role: Role }), v.metadata({ ref: 'User' })),
    ),
  }),
  v.description('`currentUser` is null without a valid session'),
)

export const SignedOutBody = v.pipe(v.object({}), v.description('An empty object'))

export const JwksBody = v.pipe(
  v.object({
    keys: v.array(
      v.looseObject({
        kty: v.string(),
        kid: v.optional(v.string()),
        alg: v.optional(v.string()),
        crv: v.optional(v.string()),
        x: v.optional(v.string()),
        y: v.optional(v.string()),
        use: v.optional(v.string()),
      }),
    ),
  }),
  v.description('The public keys that verify session tokens (RFC 7517)'),
  v.metadata({ ref: 'JsonWebKeySet' }),
)

export const examples = {
  user: { id: '5b1f8c2e-3d4a-4e6f-9a7b-1c2d3e4f5a6b', email: 'seller@example.test', role: 'user' },
  token:
    'eyJhbGciOiJFUzI1NiIsImtpZCI6IjFmNmEyYjNjIn0.eyJzdWIiOiI1YjFmOGMyZSIsImVtYWlsIjoic2VsbGVyQGV4YW1wbGUudGVzdCJ9.c2lnbmF0dXJl',
  credentials: { email: 'seller@example.test', password: 'correct horse battery' },
}
