import type { BaseDeps } from '@twtix/common'
import type { OrdersConfig } from './config.ts'

export type Deps = BaseDeps & {
  config: Pick<
    OrdersConfig,
    | 'ORDER_HOLD_SECONDS'
    | 'ORDERS_OPEN_PER_USER'
    | 'ORDER_COOLDOWN_SECONDS'
    | 'RATE_LIMIT_ORDERS_PER_MINUTE'
    | 'BUYER_FEE_PERCENT'
    | 'BUYER_FEE_FIXED_YEN'
    | 'SELLER_FEE_PERCENT'
    | 'SELLER_FEE_FIXED_YEN'
    | 'CLAIM_WINDOW_HOURS'
  >
}
