import { BadRequestError, TooManyRequestsError } from '@twtix/common'
import { eq, sql } from 'drizzle-orm'
import { users } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { decoyHash, verifyPassword } from '../password.ts'
import type { Credentials, User } from './sign-up.ts'

/** One answer for an unknown email and a wrong password, and the same work for both. */
export const INVALID_CREDENTIALS = 'Invalid email or password'

export async function signIn(deps: Deps, input: Credentials): Promise<User> {
  const emailKey = input.email.toLowerCase()
  const limited = deps.limiters.signinFailures.check(emailKey)
  if (!limited.allowed) throw new TooManyRequestsError(limited.retryAfterSeconds)
  const [user] = await deps.db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, emailKey))
    .limit(1)
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()))
  if (!user || !ok) {
    deps.limiters.signinFailures.hit(emailKey)
    deps.logger.info('sign-in failed', { known: Boolean(user) })
    throw new BadRequestError(INVALID_CREDENTIALS)
  }
  deps.limiters.signinFailures.reset(emailKey)
  return { id: user.id, email: user.email }
}
