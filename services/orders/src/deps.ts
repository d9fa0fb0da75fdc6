import type { BaseDeps } from '@twtix/common'
import type { OrdersConfig } from './config.ts'

export type Deps = BaseDeps & {
  config: Pick<OrdersConfig, 'ORDER_HOLD_SECONDS'>
}
