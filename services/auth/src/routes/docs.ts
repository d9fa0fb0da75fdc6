import {
  describeRoute,
  errorResponse,
  jsonResponse,
  optionallySignedIn,
  payloadTooLarge,
  type ServiceInfo,
  serverError,
  serviceUnavailable,
  tooManyRequests,
} from '@twtix/common/openapi'
import { CurrentUserBody, examples, JwksBody, SessionBody, SignedOutBody } from './responses.ts'

export const usersInfo: ServiceInfo = {
  title: 'twtix users (auth)',
  description: 'Sign up, sign in and out, and the keys that verify sessions.',
  tag: { name: 'users', description: 'Accounts and sessions' },
}

const sessionCookie = {
  'Set-Cookie': {
    description:
      'Two cookies: the access token, `session=<token>; Path=/; HttpOnly; SameSite=Lax` (the ' +
      'token lasts TOKEN_TTL_SECONDS, 15 minutes by default; the cookie as long as the session), ' +
      'and the refresh secret, `refresh=<secret>; Path=/api/users/refresh; HttpOnly; ' +
      'SameSite=Lax`, sent only to the refresh route',
    schema: { type: 'string' as const },
    example: `session=${examples.token}; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax`,
  },
}

const session = { ...examples.user, token: examples.token }
const common = {
  413: payloadTooLarge,
  429: tooManyRequests,
  500: serverError,
  503: serviceUnavailable,
}

export const signUpDoc = describeRoute({
  operationId: 'signUp',
  tags: ['users'],
  summary: 'Sign up',
  description:
    'Creates an account and signs it in: the body carries the token for `Authorization: ' +
    'Bearer`, and the session cookie is set. Emails are unique regardless of case.',
  responses: {
    201: jsonResponse('Signed up and signed in', SessionBody, session, sessionCookie),
    400: errorResponse('A bad email or password, or the email is taken', {
      emailInUse: 'Email in use',
      badEmail: { message: 'Email must be valid', field: 'email' },
      shortPassword: {
        message: 'Password must be between 8 and 128 characters',
        field: 'password',
      },
    }),
    ...common,
  },
})

export const signInDoc = describeRoute({
  operationId: 'signIn',
  tags: ['users'],
  summary: 'Sign in',
  description:
    'Checks the credentials and starts a session: the token in the body and the cookie. An ' +
    'unknown email and a wrong password get the same answer. Failed attempts are limited per ' +
    'email (429 with `Retry-After`).',
  responses: {
    200: jsonResponse('Signed in', SessionBody, session, sessionCookie),
    400: errorResponse('Wrong credentials or a malformed body', {
      invalidCredentials: 'Invalid email or password',
      badEmail: { message: 'Email must be valid', field: 'email' },
    }),
    ...common,
  },
})

export const signOutDoc = describeRoute({
  operationId: 'signOut',
  tags: ['users'],
  summary: 'Sign out',
  description:
    'Ends the session of the access token (cookie or bearer, even an expired one) or of the ' +
    "refresh cookie, and clears both cookies. Every service refuses the session's tokens " +
    'within a few seconds (REVOCATIONS_REFRESH_SECONDS), and refresh refuses it at once.',
  responses: {
    200: jsonResponse(
      'Signed out',
      SignedOutBody,
      {},
      {
        'Set-Cookie': {
          description: 'Clears the session and refresh cookies',
          schema: { type: 'string' },
          example: 'session=; Max-Age=0; Path=/',
        },
      },
    ),
    500: serverError,
    503: serviceUnavailable,
  },
})

export const refreshDoc = describeRoute({
  operationId: 'refreshSession',
  tags: ['users'],
  summary: 'Renew the access token',
  description:
    'Takes the refresh cookie (set by sign-up and sign-in, sent by browsers and cookie jars to ' +
    'this route only) and answers a new access token, like sign-in, with a new refresh cookie: ' +
    'each refresh secret works once. A secret used again after it was replaced ends the ' +
    "session (it may have been stolen); so do sign-out and the session's end " +
    '(SESSION_TTL_SECONDS, a day by default).',
  security: [],
  parameters: [
    {
      name: 'refresh',
      in: 'cookie',
      required: true,
      description: 'The refresh secret from sign-up, sign-in or the last refresh',
      schema: { type: 'string' },
    },
  ],
  responses: {
    200: jsonResponse('A new access token', SessionBody, session, sessionCookie),
    401: errorResponse('No session to renew: missing, replaced, revoked or ended', {
      ended: 'Session ended: sign in again',
    }),
    ...common,
  },
})

export const currentUserDoc = describeRoute({
  operationId: 'getCurrentUser',
  tags: ['users'],
  summary: 'Who is signed in',
  description: 'The signed-in user, or `null`: never a 401.',
  security: optionallySignedIn,
  responses: {
    200: jsonResponse('The current user or null', CurrentUserBody, {
      currentUser: examples.user,
    }),
    500: serverError,
    503: serviceUnavailable,
  },
})

export const jwksDoc = describeRoute({
  operationId: 'getSigningKeys',
  tags: ['users'],
  summary: 'Public keys of the session tokens',
  description:
    'The JSON Web Key Set that verifies session tokens; the other services cache it. Cacheable ' +
    'for five minutes.',
  responses: {
    200: jsonResponse('The key set', JwksBody, {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          kid: '1f6a2b3c-4d5e-4f60-8a1b-2c3d4e5f6a7b',
          use: 'sig',
          alg: 'ES256',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        },
      ],
    }),
    500: serverError,
    503: serviceUnavailable,
  },
})
