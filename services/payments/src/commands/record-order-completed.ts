import type { EventData, Tx } from '@twtix/common'
import { applyOrderVersion } from './apply-order-version.ts'

/** The order is paid and the ticket sold: no further payment is taken for it. */
export async function recordOrderCompleted(tx: Tx, data: EventData<'order.completed'>) {
  await applyOrderVersion(tx, data, 'completed')
}
