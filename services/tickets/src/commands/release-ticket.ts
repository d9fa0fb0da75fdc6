import type { Tx } from '@twtix/common'
import type { Deps } from '../deps.ts'
import { changeTicket, lockTicket } from './change-ticket.ts'

export type ReleaseInput = { ticketId: string; orderId: string }
export type ReleaseOutcome = 'released' | 'not-held' | 'unknown-ticket'

/** order.cancelled: frees the ticket, but only from the order that holds it. */
export async function releaseTicket(
  deps: Deps,
  tx: Tx,
  input: ReleaseInput,
  meta: { correlationId?: string } = {},
): Promise<ReleaseOutcome> {
  const current = await lockTicket(tx, input.ticketId)
  if (!current) return 'unknown-ticket'
  if (current.status !== 'reserved' || current.orderId !== input.orderId) {
    // Usual after a newer order took over, or for a duplicate: nothing of this order to undo.
    const level = current.status === 'sold' && current.orderId === input.orderId ? 'warn' : 'info'
    deps.logger[level]('cancel skipped: the order does not hold the ticket', {
      ticketId: input.ticketId,
      orderId: input.orderId,
      status: current.status,
      holder: current.orderId,
    })
    return 'not-held'
  }
  await changeTicket(deps, tx, current, { status: 'available', orderId: null }, meta)
  return 'released'
}
