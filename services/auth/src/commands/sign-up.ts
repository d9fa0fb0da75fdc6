import { BadRequestError, type Role, TooManyRequestsError } from '@twtix/common'
import { users } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { hashPassword } from '../password.ts'

export type Credentials = { email: string; password: string }
export type User = { id: string; email: string; role: Role }

/** Whether `email` is one of ADMIN_EMAILS. */
export function isAdminEmail(deps: Pick<Deps, 'config'>, email: string): boolean {
  return deps.config.ADMIN_EMAILS.includes(email.toLowerCase())
}

/** Creates a user; the unique index on lower(email) decides races between two sign-ups. */
export async function signUp(deps: Deps, input: Credentials): Promise<User> {
  const limit = deps.limiters.signup.hit(input.email.toLowerCase())
  if (!limit.allowed) throw new TooManyRequestsError(limit.retryAfterSeconds)
  const passwordHash = await hashPassword(input.password)
  const [user] = await deps.db
    .insert(users)
    .values({
      id: crypto.randomUUID(),
      email: input.email,
      passwordHash,
      role: isAdminEmail(deps, input.email) ? 'admin' : 'user',
      createdAt: deps.clock(),
    })
    .onConflictDoNothing()
    .returning({ id: users.id, email: users.email, role: users.role })
  if (!user) throw new BadRequestError('Email in use')
  deps.logger.info('user signed up', { userId: user.id, role: user.role })
  return user
}
