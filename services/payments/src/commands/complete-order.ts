import type { EventData } from '@twtix/common'
import type { Deps } from '../deps.ts'
import { applyOrderVersion } from './apply-order-version.ts'

/** The order is paid and the ticket sold: no further payment is taken for it. */
export async function completeOrder(deps: Pick<Deps, 'db'>, data: EventData<'order.completed'>) {
  await applyOrderVersion(deps.db, data, 'completed')
}
