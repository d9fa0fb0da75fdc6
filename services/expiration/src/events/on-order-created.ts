import { atOnce, type EventHandler, insertRow, rowValues } from '@twtix/common'
import { dueRow } from '../commands/due-row.ts'
import { due } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

/** A new order holds its ticket until `expiresAt`: schedule its expiry (one statement). */
export function onOrderCreated(deps: Deps): EventHandler<'order.created'> {
  return atOnce({
    write: insertRow(due),
    values: (event) =>
      rowValues(
        due,
        dueRow(deps, { orderId: event.data.id, dueAt: new Date(event.data.expiresAt) }),
      ),
  })
}
