import type { Tx } from '@twtix/common'
import type { Deps } from '../deps.ts'
import { endOrder } from './end-order.ts'

export type CancelOrderInput = { orderId: string; correlationId?: string }

/** What cancelling did: only `cancelled` changed anything and published `order.cancelled`. */
export type CancelOutcome = 'cancelled' | 'already-cancelled' | 'complete'

/** Cancels a `created` order (version+1, `order.cancelled`); a paid one stays complete. */
export async function cancelOrder(
  deps: Deps,
  tx: Tx,
  input: CancelOrderInput,
): Promise<CancelOutcome> {
  const { ended, status } = await endOrder(deps, tx, input, {
    status: 'cancelled',
    event: 'order.cancelled',
  })
  if (ended) return 'cancelled'
  return status === 'complete' ? 'complete' : 'already-cancelled'
}
