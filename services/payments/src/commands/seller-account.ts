import { inTransaction, NotFoundError } from '@twtix/common'
import { and, eq } from 'drizzle-orm'
import { payouts, type SellerAccount, sellerAccounts } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

export type OnboardingView = { accountId: string; payoutsEnabled: boolean; url: string }

/**
 * The seller's Connect Express account (created once: the gateway key is the user's id, and the
 * primary key keeps a second row out) and a fresh onboarding link to it.
 */
export async function startOnboarding(deps: Deps, userId: string): Promise<OnboardingView> {
  const account = (await accountOf(deps, userId)) ?? (await openAccount(deps, userId))
  const { url } = await deps.gateway.accountLink({
    accountId: account.stripeAccountId,
    refreshUrl: deps.config.PAYOUTS_RETURN_URL,
    returnUrl: deps.config.PAYOUTS_RETURN_URL,
  })
  return { accountId: account.stripeAccountId, payoutsEnabled: account.payoutsEnabled, url }
}

async function accountOf(deps: Pick<Deps, 'db'>, userId: string) {
  const [account] = await deps.db
    .select()
    .from(sellerAccounts)
    .where(eq(sellerAccounts.userId, userId))
  return account
}

async function openAccount(deps: Deps, userId: string): Promise<SellerAccount> {
  const { id } = await deps.gateway.createAccount({ userId, idempotencyKey: `account-${userId}` })
  const now = deps.clock()
  await deps.db
    .insert(sellerAccounts)
    .values({ userId, stripeAccountId: id, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
  return (await accountOf(deps, userId)) as SellerAccount
}

/**
 * Stripe says whether the account can be paid (account.updated). Enabled: the seller's blocked
 * payouts are held again and the worker pays them on its next run. Resolves false for an account
 * twtix did not open.
 */
export async function setPayoutsEnabled(
  deps: Pick<Deps, 'db' | 'clock'>,
  stripeAccountId: string,
  enabled: boolean,
): Promise<boolean> {
  return inTransaction(deps, async ({ db }) => {
    const now = deps.clock()
    const [account] = await db
      .update(sellerAccounts)
      .set({ payoutsEnabled: enabled, updatedAt: now })
      .where(eq(sellerAccounts.stripeAccountId, stripeAccountId))
      .returning()
    if (!account) return false
    if (enabled) {
      await db
        .update(payouts)
        .set({ status: 'held', updatedAt: now })
        .where(and(eq(payouts.sellerId, account.userId), eq(payouts.status, 'blocked')))
    }
    return true
  })
}

/**
 * Offline only: what Stripe's hosted onboarding does, done by visiting the link
 * POST /api/payouts/account returned, as the seller it belongs to.
 */
export async function completeOfflineOnboarding(deps: Deps, userId: string, accountId: string) {
  const account = await accountOf(deps, userId)
  if (deps.gateway.name !== 'offline' || account?.stripeAccountId !== accountId) {
    throw new NotFoundError('Account not found')
  }
  await setPayoutsEnabled(deps, accountId, true)
  return { accountId, payoutsEnabled: true }
}
