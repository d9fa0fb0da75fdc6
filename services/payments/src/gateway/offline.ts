import { memoryTransfers, type TransferBook } from './offline-transfers.ts'
import type { ChargeInput, ChargeResult, PaymentGateway, RefundInput } from './port.ts'
import { decliningTokens, succeedingTokens } from './test-tokens.ts'

/**
 * The embedded default: no network, no money. Stripe's success test tokens succeed, its decline
 * tokens decline with Stripe's messages, any other token is declined like an unusable card.
 * Like Stripe, a key seen before returns its first result (kept in memory for this process; the
 * transfers in `transfers`, durable in the payments database when the service runs on a pool).
 */
export function createOfflineGateway(options: { transfers?: TransferBook } = {}): PaymentGateway {
  const transfers = options.transfers ?? memoryTransfers()
  const charges = new Map<string, ChargeResult>()
  const refunds = new Map<string, { id: string }>()
  const accounts = new Map<string, { id: string }>()
  const reversals = new Map<string, { id: string }>()

  /** The first answer for a key, like Stripe's idempotency keys. */
  function once<T>(seen: Map<string, T>, key: string, make: () => T): T {
    const known = seen.get(key)
    if (known) return known
    const made = make()
    seen.set(key, made)
    return made
  }

  function decide(input: ChargeInput): ChargeResult {
    const id = `pi_offline_${crypto.randomUUID()}`
    if (succeedingTokens.has(input.token)) return { status: 'succeeded', id }
    // Own keys only: a token named `toString` or `__proto__` is an unusable card, not a message.
    const message = Object.hasOwn(decliningTokens, input.token)
      ? decliningTokens[input.token]
      : undefined
    if (message) return { status: 'declined', message, id }
    return { status: 'declined', message: 'Your card was declined.' }
  }

  return {
    name: 'offline',
    async charge(input) {
      const known = charges.get(input.idempotencyKey)
      if (known) return known
      const result = decide(input)
      charges.set(input.idempotencyKey, result)
      return result
    },
    async refund(input: RefundInput) {
      const known = refunds.get(input.idempotencyKey)
      if (known) return known
      const refund = { id: `re_offline_${crypto.randomUUID()}` }
      refunds.set(input.idempotencyKey, refund)
      return refund
    },
    async createAccount(input) {
      return once(accounts, input.idempotencyKey, () => ({
        id: `acct_offline_${crypto.randomUUID().replaceAll('-', '')}`,
      }))
    },
    async accountLink(input) {
      // No hosted page offline: twtix's own route completes onboarding for the signed-in seller.
      const account = encodeURIComponent(input.accountId)
      return { url: `/api/payouts/account/offline-onboarding?account=${account}` }
    },
    async transfer(input) {
      const made = await transfers.once(input, () => `tr_offline_${crypto.randomUUID()}`)
      return { id: made.id }
    },
    async reverseTransfer(input) {
      return once(reversals, input.idempotencyKey, () => ({
        id: `trr_offline_${crypto.randomUUID()}`,
      }))
    },
  }
}
