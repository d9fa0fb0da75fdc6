import type { Tx } from '@twtix/common'
import type { TicketRow } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { changeTicket, lockTicket } from './change-ticket.ts'

export type ReserveInput = { ticketId: string; orderId: string; orderCreatedAt: Date }
export type ReserveOutcome = 'reserved' | 'duplicate' | 'sold' | 'stale' | 'unknown-ticket'

/**
 * Orders' database keeps at most one active order per ticket, so of two orders for one ticket
 * the one created earlier was cancelled before the later one existed. Order events are keyed by
 * the ticket, so they arrive in commit order; a redelivery or a replayed event can still bring an
 * older order after a newer one: the newest order wins, and an older one never takes the ticket
 * back.
 */
function isStale(current: TicketRow, orderCreatedAt: Date): boolean {
  return current.lastOrderAt !== null && orderCreatedAt <= current.lastOrderAt
}

/** order.created: the order holds the ticket while the buyer pays. */
export async function reserveTicket(
  deps: Deps,
  tx: Tx,
  input: ReserveInput,
  meta: { correlationId?: string } = {},
): Promise<ReserveOutcome> {
  const log = { ticketId: input.ticketId, orderId: input.orderId }
  const current = await lockTicket(tx, input.ticketId)
  if (!current) return 'unknown-ticket'
  if (current.orderId === input.orderId) return 'duplicate'
  if (current.status === 'sold') {
    deps.logger.warn('order for a sold ticket skipped', { ...log, soldTo: current.orderId })
    return 'sold'
  }
  if (isStale(current, input.orderCreatedAt)) {
    deps.logger.warn('stale order skipped: a newer order exists', {
      ...log,
      holder: current.orderId,
    })
    return 'stale'
  }
  if (current.status === 'reserved') {
    deps.logger.info('newer order supersedes the holder', { ...log, holder: current.orderId })
  }
  await changeTicket(
    deps,
    tx,
    current,
    { status: 'reserved', orderId: input.orderId, lastOrderAt: input.orderCreatedAt },
    meta,
  )
  return 'reserved'
}
