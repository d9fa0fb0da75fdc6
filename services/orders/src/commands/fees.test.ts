import { readConfig } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { OrdersConfigSchema } from '../config.ts'
import { feesOf } from './fees.ts'

const configOf = (env: Record<string, string>) => readConfig(OrdersConfigSchema, env)

describe('feesOf', () => {
  it('charges 5 % on each side by default, rounded down to the yen', () => {
    expect(feesOf(configOf({}), 18_000)).toEqual({ buyerFee: 900, sellerFee: 900, total: 18_900 })
    // 5 % of 1,999 is 99.95: the fraction is the payer's.
    expect(feesOf(configOf({}), 1_999)).toEqual({ buyerFee: 99, sellerFee: 99, total: 2_098 })
    expect(feesOf(configOf({}), 50)).toEqual({ buyerFee: 2, sellerFee: 2, total: 52 })
  })

  it('adds the fixed yen and keeps the seller fee within the price', () => {
    const config = configOf({
      BUYER_FEE_PERCENT: '10',
      BUYER_FEE_FIXED_YEN: '100',
      SELLER_FEE_PERCENT: '50',
      SELLER_FEE_FIXED_YEN: '1000',
    })
    expect(feesOf(config, 1_005)).toEqual({ buyerFee: 200, sellerFee: 1_005, total: 1_205 })
    expect(feesOf(config, 10_000)).toEqual({ buyerFee: 1_100, sellerFee: 6_000, total: 11_100 })
  })

  it('can be turned off', () => {
    const free = configOf({ BUYER_FEE_PERCENT: '0', SELLER_FEE_PERCENT: '0' })
    expect(feesOf(free, 3_333)).toEqual({ buyerFee: 0, sellerFee: 0, total: 3_333 })
  })

  it('refuses a percent above 100 or a negative fixed fee at start-up', () => {
    expect(() => configOf({ BUYER_FEE_PERCENT: '101' })).toThrow(/BUYER_FEE_PERCENT/)
    expect(() => configOf({ SELLER_FEE_FIXED_YEN: '-1' })).toThrow(/SELLER_FEE_FIXED_YEN/)
  })
})
