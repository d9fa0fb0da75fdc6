import type { Deps } from '../deps.ts'

export type Fees = { buyerFee: number; sellerFee: number; total: number }

/**
 * The fees of an order at `price` yen: each is `floor(price × percent / 100) + fixed`, rounded
 * down (JPY has no minor unit; the fraction of a yen is in the payer's favour), never more than
 * the price for the seller's. `total` is what the buyer is charged.
 */
export function feesOf(config: Deps['config'], price: number): Fees {
  const buyerFee = Math.floor((price * config.BUYER_FEE_PERCENT) / 100) + config.BUYER_FEE_FIXED_YEN
  const sellerFee = Math.min(
    price,
    Math.floor((price * config.SELLER_FEE_PERCENT) / 100) + config.SELLER_FEE_FIXED_YEN,
  )
  return { buyerFee, sellerFee, total: price + buyerFee }
}
