import { BadRequestError, TooManyRequestsError } from '@twtix/common'
import { eq, sql } from 'drizzle-orm'
import { users } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../password.ts'
import { type Credentials, isAdminEmail, type User } from './sign-up.ts'

/** One answer for an unknown email and a wrong password, and the same work for both. */
export const INVALID_CREDENTIALS = 'Invalid email or password'

/**
 * Checks a password. The attempt is counted (per email and address) before the check, and one
 * check runs at a time per email: a burst of parallel guesses gets one check, not one each.
 * Keyed on the address too, an attacker's failures do not lock the owner out; a per-email cap
 * over all addresses bounds guesses spread over many.
 */
export async function signIn(deps: Deps, input: Credentials & { address: string }): Promise<User> {
  const emailKey = input.email.toLowerCase()
  const { signinFailures, signinFailuresPerEmail, checking } = deps.limiters
  const attempt = signinFailures.hit(`${emailKey}\n${input.address}`)
  const overall = signinFailuresPerEmail.check(emailKey)
  if (!attempt.allowed || !overall.allowed) {
    throw new TooManyRequestsError(Math.max(attempt.retryAfterSeconds, overall.retryAfterSeconds))
  }
  if (checking.has(emailKey)) throw new TooManyRequestsError(1)
  checking.add(emailKey)
  try {
    const [user] = await deps.db
      .select()
      .from(users)
      .where(eq(sql`lower(${users.email})`, emailKey))
      .limit(1)
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()))
    if (!user || !ok) {
      signinFailuresPerEmail.hit(emailKey)
      deps.logger.info('sign-in failed', { known: Boolean(user) })
      throw new BadRequestError(INVALID_CREDENTIALS)
    }
    signinFailures.reset(`${emailKey}\n${input.address}`)
    if (needsRehash(user.passwordHash)) {
      // The password is at hand only now: bring its hash up to today's cost.
      const passwordHash = await hashPassword(input.password)
      await deps.db.update(users).set({ passwordHash }).where(eq(users.id, user.id))
      deps.logger.info('password rehashed', { userId: user.id })
    }
    let role = user.role
    if (role !== 'admin' && isAdminEmail(deps, user.email)) {
      // Listed in ADMIN_EMAILS after signing up: an admin from this sign-in on.
      role = 'admin'
      await deps.db.update(users).set({ role }).where(eq(users.id, user.id))
      deps.logger.info('user made admin', { userId: user.id })
    }
    return { id: user.id, email: user.email, role }
  } finally {
    checking.delete(emailKey)
  }
}
