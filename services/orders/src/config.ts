import { baseConfigEntries, envInt, tokenConfigEntries } from '@twtix/common'
import * as v from 'valibot'

export const OrdersConfigSchema = v.object({
  ...baseConfigEntries(3003),
  ...tokenConfigEntries(),
  /** How long a new order holds its ticket for the buyer to pay. */
  ORDER_HOLD_SECONDS: envInt(900, 1),
  /** Unpaid orders one buyer may hold at once: one account cannot lock up the listing. */
  ORDERS_OPEN_PER_USER: envInt(5, 1),
  /**
   * After a buyer's order of a ticket is cancelled or expires, how long before the same buyer may
   * order that ticket again (cancel-and-reorder would otherwise hold it forever).
   */
  ORDER_COOLDOWN_SECONDS: envInt(600, 0),
  /** How long after its event ends (or starts, its end unknown) a buyer may open a claim. */
  CLAIM_WINDOW_HOURS: envInt(48, 1, 24 * 365),
  /** Orders a buyer may place per minute (per replica); refused attempts do not count. */
  RATE_LIMIT_ORDERS_PER_MINUTE: envInt(30, 1),
  /**
   * Fees, in whole yen: percent of the price rounded down, plus a fixed amount. The buyer pays
   * price + buyer fee; the seller is paid price − seller fee after the event.
   */
  BUYER_FEE_PERCENT: envInt(5, 0, 100),
  BUYER_FEE_FIXED_YEN: envInt(0, 0, 1_000_000),
  SELLER_FEE_PERCENT: envInt(5, 0, 100),
  SELLER_FEE_FIXED_YEN: envInt(0, 0, 1_000_000),
})

export type OrdersConfig = v.InferOutput<typeof OrdersConfigSchema>
