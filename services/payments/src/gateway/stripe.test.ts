import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stripeHostOf } from '../config.ts'
import { startFakeStripe } from './fake-stripe.ts'
import type { PaymentGateway } from './port.ts'
import { createStripeGateway } from './stripe.ts'

let fake: Awaited<ReturnType<typeof startFakeStripe>>
let gateway: PaymentGateway
beforeAll(async () => {
  fake = await startFakeStripe()
  gateway = createStripeGateway({ secretKey: 'sk_test_twtix', api: stripeHostOf(fake.url) })
})
afterAll(async () => {
  await fake.close()
})

function charge(token: string, key: string = crypto.randomUUID()) {
  return gateway.charge({
    amount: 4200,
    currency: 'jpy',
    token,
    idempotencyKey: key,
    metadata: { orderId: 'order-1', paymentId: 'payment-1' },
  })
}

function lastRequest() {
  const request = fake.requests.at(-1)
  if (!request) throw new Error('no request reached the fake Stripe')
  return request
}

describe('Stripe gateway (the real SDK against a local server)', () => {
  it('creates and confirms a PaymentIntent for the amount in JPY with the idempotency key', async () => {
    expect(await charge('tok_visa', 'pay-key-1')).toEqual({ status: 'succeeded', id: 'pi_fake_1' })
    const request = lastRequest()
    expect(request.method).toBe('POST')
    expect(request.path).toBe('/v1/payment_intents')
    expect(request.headers.authorization).toBe('Bearer sk_test_twtix')
    expect(request.headers['idempotency-key']).toBe('pay-key-1')
    expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded')
    const form = Object.fromEntries(request.form)
    expect(form).toMatchObject({
      amount: '4200',
      currency: 'jpy',
      confirm: 'true',
      'payment_method_data[type]': 'card',
      'payment_method_data[card][token]': 'tok_visa',
      'metadata[orderId]': 'order-1',
      'metadata[paymentId]': 'payment-1',
    })
  })

  it('turns a card_error into a decline with Stripe message', async () => {
    expect(await charge('tok_chargeDeclined')).toEqual({
      status: 'declined',
      message: 'Your card was declined.',
      id: 'pi_declined',
    })
  })

  it('declines an unknown token and an intent that did not succeed', async () => {
    expect(await charge('tok_nope')).toEqual({
      status: 'declined',
      message: "No such token: 'tok_nope'",
      id: undefined,
    })
    expect(await charge('tok_processing')).toMatchObject({ status: 'declined', id: 'pi_fake_2' })
  })

  it('throws other API errors: they are faults, not declines', async () => {
    await expect(charge('tok_bad_amount')).rejects.toThrow('Invalid integer')
  })

  it('refunds by PaymentIntent with the refund key, and treats already refunded as done', async () => {
    const refund = await gateway.refund({
      paymentIntentId: 'pi_fake_1',
      idempotencyKey: 'refund-p1',
    })
    expect(refund).toEqual({ id: 're_fake_1' })
    const request = lastRequest()
    expect(request.path).toBe('/v1/refunds')
    expect(request.form.get('payment_intent')).toBe('pi_fake_1')
    expect(request.headers['idempotency-key']).toBe('refund-p1')
    expect(
      await gateway.refund({ paymentIntentId: 'pi_refunded', idempotencyKey: 'refund-p2' }),
    ).toEqual({ id: 'already_refunded' })
  })
})

describe('Stripe Connect (separate charges and transfers)', () => {
  it('charges with the order transfer group', async () => {
    await gateway.charge({
      amount: 8400,
      currency: 'jpy',
      token: 'tok_visa',
      idempotencyKey: 'pay-tg',
      metadata: { orderId: 'order-1', paymentId: 'payment-1' },
      transferGroup: 'order_order-1',
    })
    expect(lastRequest().form.get('transfer_group')).toBe('order_order-1')
  })

  it('creates an Express account in Japan with the idempotency key, and its onboarding link', async () => {
    expect(
      await gateway.createAccount({ userId: 'user-1', idempotencyKey: 'account-user-1' }),
    ).toEqual({ id: 'acct_fake_1' })
    const account = lastRequest()
    expect(account.path).toBe('/v1/accounts')
    expect(account.headers['idempotency-key']).toBe('account-user-1')
    expect(Object.fromEntries(account.form)).toMatchObject({
      type: 'express',
      country: 'JP',
      'capabilities[transfers][requested]': 'true',
      'metadata[userId]': 'user-1',
    })
    const link = await gateway.accountLink({
      accountId: 'acct_fake_1',
      refreshUrl: 'http://localhost:3000/sales',
      returnUrl: 'http://localhost:3000/sales',
    })
    expect(link.url).toBe('https://connect.stripe.com/setup/e/acct_fake_1/fake')
    expect(Object.fromEntries(lastRequest().form)).toEqual({
      account: 'acct_fake_1',
      refresh_url: 'http://localhost:3000/sales',
      return_url: 'http://localhost:3000/sales',
      type: 'account_onboarding',
    })
  })

  it("transfers from the PaymentIntent's charge to the seller with the payout's key", async () => {
    const transfer = await gateway.transfer({
      amount: 7600,
      currency: 'jpy',
      destination: 'acct_fake_1',
      sourceTransaction: 'pi_fake_1',
      transferGroup: 'order_o1',
      idempotencyKey: 'payout-p1',
      metadata: { orderId: 'o1', payoutId: 'p1' },
    })
    expect(transfer).toEqual({ id: 'tr_fake_1' })
    const [retrieve, create] = fake.requests.slice(-2)
    expect(retrieve).toMatchObject({ method: 'GET', path: '/v1/payment_intents/pi_fake_1' })
    expect(create?.path).toBe('/v1/transfers')
    expect(create?.headers['idempotency-key']).toBe('payout-p1')
    expect(Object.fromEntries(create?.form ?? [])).toEqual({
      amount: '7600',
      currency: 'jpy',
      destination: 'acct_fake_1',
      source_transaction: 'ch_fake_1',
      transfer_group: 'order_o1',
      'metadata[orderId]': 'o1',
      'metadata[payoutId]': 'p1',
    })
  })

  it('reverses a transfer with the reversal key', async () => {
    expect(
      await gateway.reverseTransfer({ transferId: 'tr_fake_1', idempotencyKey: 'reversal-p1' }),
    ).toEqual({ id: 'trr_fake_1' })
    const request = lastRequest()
    expect(request).toMatchObject({ method: 'POST', path: '/v1/transfers/tr_fake_1/reversals' })
    expect(request.headers['idempotency-key']).toBe('reversal-p1')
  })
})
