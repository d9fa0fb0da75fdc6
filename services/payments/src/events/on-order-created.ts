import { atOnce, type EventHandler, insertRow, rowValues } from '@twtix/common'
import { orderCopy } from '../commands/order-copy.ts'
import { orders } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

/** Keeps a copy of a new order (one statement). */
export function onOrderCreated(_deps: Deps): EventHandler<'order.created'> {
  return atOnce({
    write: insertRow(orders),
    values: (event) => rowValues(orders, orderCopy(event.data)),
  })
}
