import type { EventHandler } from '@twtix/common'
import { and, eq, isNull } from 'drizzle-orm'
import { payments } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

/**
 * ticket.undelivered → the seller missed the delivery deadline: the order's charge is marked for
 * a full refund, which the refund job gives back after this commit (refund-due.ts), as for a
 * payment of a cancelled order. A repeat finds it marked already and changes nothing.
 */
export function onTicketUndelivered(
  deps: Pick<Deps, 'clock' | 'logger'>,
): EventHandler<'ticket.undelivered'> {
  return async (tx, event) => {
    const { orderId, id: ticketId } = event.data
    const due = await tx.db
      .update(payments)
      .set({ refundDueAt: deps.clock() })
      .where(
        and(
          eq(payments.orderId, orderId),
          eq(payments.status, 'succeeded'),
          isNull(payments.refundDueAt),
        ),
      )
      .returning({ id: payments.id })
    if (due.length === 0) {
      deps.logger.info('undelivered ticket: no charge left to refund', { orderId, ticketId })
    }
    for (const payment of due) {
      deps.logger.warn('refund due: the seller did not deliver the ticket', {
        paymentId: payment.id,
        orderId,
        ticketId,
      })
    }
  }
}
