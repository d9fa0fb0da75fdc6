import type { Envelope, Tx } from '@twtix/common'
import type { TicketRow } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { changeTicket, lockTicket } from './change-ticket.ts'

export type ReserveInput = { ticketId: string; orderId: string; orderCreatedAt: Date }
export type ReserveOutcome = 'reserved' | 'duplicate' | 'sold' | 'stale' | 'unknown-ticket'

/** What order.created asks of the ticket. */
export function reserveInput(event: Envelope<'order.created'>): ReserveInput {
  return {
    ticketId: event.data.ticket.id,
    orderId: event.data.id,
    orderCreatedAt: new Date(event.occurredAt),
  }
}

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

/** What order.created does to the ticket as it is now. */
export function reservation(current: TicketRow, input: ReserveInput): ReserveOutcome {
  if (current.orderId === input.orderId) return 'duplicate'
  if (current.status === 'sold') return 'sold'
  if (isStale(current, input.orderCreatedAt)) return 'stale'
  return 'reserved'
}

/** The change a reservation makes to the ticket. */
export function reserving(input: ReserveInput) {
  return { status: 'reserved', orderId: input.orderId, lastOrderAt: input.orderCreatedAt } as const
}

/** What is logged of a reservation's outcome. */
export function logReservation(
  deps: Pick<Deps, 'logger'>,
  current: TicketRow,
  input: ReserveInput,
  outcome: ReserveOutcome,
): void {
  const log = { ticketId: input.ticketId, orderId: input.orderId }
  if (outcome === 'sold') {
    deps.logger.warn('order for a sold ticket skipped', { ...log, soldTo: current.orderId })
  } else if (outcome === 'stale') {
    deps.logger.warn('stale order skipped: a newer order exists', {
      ...log,
      holder: current.orderId,
    })
  } else if (outcome === 'reserved' && current.status === 'reserved') {
    deps.logger.info('newer order supersedes the holder', { ...log, holder: current.orderId })
  }
}

/** order.created: the order holds the ticket while the buyer pays. */
export async function reserveTicket(
  deps: Deps,
  tx: Tx,
  input: ReserveInput,
  meta: { correlationId?: string } = {},
): Promise<ReserveOutcome> {
  const current = await lockTicket(tx, input.ticketId)
  if (!current) return 'unknown-ticket'
  const outcome = reservation(current, input)
  logReservation(deps, current, input, outcome)
  if (outcome === 'reserved') await changeTicket(deps, tx, current, reserving(input), meta)
  return outcome
}
