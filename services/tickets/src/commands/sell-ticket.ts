import type { Tx } from '@twtix/common'
import type { Deps } from '../deps.ts'
import { changeTicket, lockTicket } from './change-ticket.ts'

export type SellInput = { ticketId: string; orderId: string }
export type SellOutcome = 'sold' | 'duplicate' | 'sold-to-another' | 'unknown-ticket'

/**
 * order.completed: the ticket leaves the listing for good. A completed order is final (orders
 * allows no other active order for the ticket), so it wins even if its reservation never
 * showed here; only a ticket already sold to another order is left alone, loudly.
 */
export async function sellTicket(
  deps: Deps,
  tx: Tx,
  input: SellInput,
  meta: { correlationId?: string } = {},
): Promise<SellOutcome> {
  const log = { ticketId: input.ticketId, orderId: input.orderId }
  const current = await lockTicket(tx, input.ticketId)
  if (!current) return 'unknown-ticket'
  if (current.status === 'sold') {
    if (current.orderId === input.orderId) return 'duplicate'
    deps.logger.error('completed order for a ticket sold to another order', {
      ...log,
      soldTo: current.orderId,
    })
    return 'sold-to-another'
  }
  if (current.orderId !== input.orderId) {
    deps.logger.warn('completed order did not hold the ticket here; selling anyway', {
      ...log,
      holder: current.orderId,
    })
  }
  await changeTicket(deps, tx, current, { status: 'sold', orderId: input.orderId }, meta)
  return 'sold'
}
