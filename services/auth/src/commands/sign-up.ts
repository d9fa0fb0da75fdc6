import { BadRequestError, TooManyRequestsError } from '@twtix/common'
import { users } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { hashPassword } from '../password.ts'

export type Credentials = { email: string; password: string }
export type User = { id: string; email: string }

/** Creates a user; the unique index on lower(email) decides races between two sign-ups. */
export async function signUp(deps: Deps, input: Credentials): Promise<User> {
  const limit = deps.limiters.signup.hit(input.email.toLowerCase())
  if (!limit.allowed) throw new TooManyRequestsError(limit.retryAfterSeconds)
  const passwordHash = await hashPassword(input.password)
  const [user] = await deps.db
    .insert(users)
    .values({ id: crypto.randomUUID(), email: input.email, passwordHash, createdAt: deps.clock() })
    .onConflictDoNothing()
    .returning({ id: users.id, email: users.email })
  if (!user) throw new BadRequestError('Email in use')
  deps.logger.info('user signed up', { userId: user.id })
  return user
}
