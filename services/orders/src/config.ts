import { baseConfigEntries, envInt, tokenConfigEntries } from '@twtix/common'
import * as v from 'valibot'

export const OrdersConfigSchema = v.object({
  ...baseConfigEntries(3003),
  ...tokenConfigEntries(),
  /** How long a new order holds its ticket for the buyer to pay. */
  ORDER_HOLD_SECONDS: envInt(900, 1),
})

export type OrdersConfig = v.InferOutput<typeof OrdersConfigSchema>
