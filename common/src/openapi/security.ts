import type { OpenAPIV3_1 } from 'openapi-types'
import { SESSION_COOKIE } from '../http/current-user.ts'

/** The two ways to carry the session auth issues: every protected route takes either. */
export const securitySchemes: Record<string, OpenAPIV3_1.SecuritySchemeObject> = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The `token` that `POST /api/users/signup` and `POST /api/users/signin` return.',
  },
  cookieAuth: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'The HttpOnly session cookie signup and signin set (SameSite=Lax); signout clears it.',
  },
}

/** A route that answers 401 without a session. */
export const signedIn: OpenAPIV3_1.SecurityRequirementObject[] = [
  { bearerAuth: [] },
  { cookieAuth: [] },
]

/** A route that works anonymously and says more to a signed-in caller. */
export const optionallySignedIn: OpenAPIV3_1.SecurityRequirementObject[] = [
  {},
  { bearerAuth: [] },
  { cookieAuth: [] },
]
