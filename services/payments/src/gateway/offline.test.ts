import { describe, expect, it } from 'vitest'
import { createOfflineGateway } from './offline.ts'

const input = (token: string, idempotencyKey: string = crypto.randomUUID()) => ({
  amount: 1000,
  currency: 'jpy' as const,
  token,
  idempotencyKey,
  metadata: {},
})

describe('offline gateway', () => {
  it("succeeds with Stripe's success test tokens", async () => {
    const gateway = createOfflineGateway()
    for (const token of ['tok_visa', 'tok_mastercard', 'tok_amex', 'tok_jcb', 'tok_jp']) {
      const result = await gateway.charge(input(token))
      expect(result.status, token).toBe('succeeded')
      expect(result.id).toMatch(/^pi_offline_[0-9a-f-]{36}$/)
    }
  })

  it("declines Stripe's decline tokens with Stripe's messages", async () => {
    const gateway = createOfflineGateway()
    const cases = {
      tok_chargeDeclined: 'Your card was declined.',
      tok_chargeDeclinedInsufficientFunds: 'Your card has insufficient funds.',
      tok_chargeDeclinedExpiredCard: 'Your card has expired.',
      tok_chargeDeclinedIncorrectCvc: "Your card's security code is incorrect.",
      tok_chargeDeclinedProcessingError:
        'An error occurred while processing your card. Try again in a little bit.',
      tok_unheard_of: 'Your card was declined.',
    }
    for (const [token, message] of Object.entries(cases)) {
      expect(await gateway.charge(input(token))).toMatchObject({ status: 'declined', message })
    }
  })

  it('returns the first result for a key it has seen, like Stripe', async () => {
    const gateway = createOfflineGateway()
    const first = await gateway.charge(input('tok_visa', 'k1'))
    expect(await gateway.charge(input('tok_visa', 'k1'))).toEqual(first)
    expect(await gateway.charge(input('tok_visa', 'k2'))).not.toEqual(first)
    const refund = await gateway.refund({ paymentIntentId: 'pi_1', idempotencyKey: 'r1' })
    expect(await gateway.refund({ paymentIntentId: 'pi_1', idempotencyKey: 'r1' })).toEqual(refund)
  })

  it('declines tokens named like built-in properties as unusable cards', async () => {
    const gateway = createOfflineGateway()
    for (const token of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(await gateway.charge(input(token)), token).toEqual({
        status: 'declined',
        message: 'Your card was declined.',
      })
    }
  })
})
