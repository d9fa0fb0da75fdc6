import type { Tx } from '@twtix/common'
import type { Deps } from '../deps.ts'
import { endOrder } from './end-order.ts'

export type CompleteOrderInput = { orderId: string; correlationId?: string }

/** What completing did: only `completed` changed anything and published `order.completed`. */
export type CompleteOutcome = 'completed' | 'already-complete' | 'cancelled'

/** Marks a paid `created` order complete (version+1, `order.completed` with the ticket id). */
export async function completeOrder(
  deps: Deps,
  tx: Tx,
  input: CompleteOrderInput,
): Promise<CompleteOutcome> {
  const { ended, status } = await endOrder(deps, tx, input, {
    status: 'complete',
    event: 'order.completed',
    set: { paymentError: null, paymentErrorAt: null },
  })
  if (ended) return 'completed'
  return status === 'complete' ? 'already-complete' : 'cancelled'
}
