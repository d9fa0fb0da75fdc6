import { readConfig } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { PaymentsConfigSchema, stripeHostOf } from './config.ts'

describe('payments config', () => {
  it('defaults to port 3005 with no Stripe key (the offline gateway)', () => {
    const config = readConfig(PaymentsConfigSchema, {})
    expect(config.PORT).toBe(3005)
    expect(config.STRIPE_SECRET_KEY).toBeUndefined()
    expect(config.STRIPE_WEBHOOK_SECRET).toBeUndefined()
  })

  it('names a bad Stripe variable', () => {
    expect(() => readConfig(PaymentsConfigSchema, { STRIPE_API_URL: 'not a url' })).toThrow(
      /STRIPE_API_URL/,
    )
    expect(() => readConfig(PaymentsConfigSchema, { STRIPE_SECRET_KEY: 'pk_test_1' })).toThrow(
      /STRIPE_SECRET_KEY/,
    )
  })

  it('splits STRIPE_API_URL into what the SDK takes', () => {
    expect(stripeHostOf('http://127.0.0.1:12111')).toEqual({
      host: '127.0.0.1',
      port: 12111,
      protocol: 'http',
    })
    expect(stripeHostOf('https://stripe.internal')).toEqual({
      host: 'stripe.internal',
      port: 443,
      protocol: 'https',
    })
  })
})
