import { Buffer } from 'node:buffer'
import { BadRequestError, ForbiddenError, NotFoundError, type Tx } from '@twtix/common'
import { eq, getTableColumns, sql } from 'drizzle-orm'
import { lockTicket } from '../commands/change-ticket.ts'
import { deliveryDeadlines, ticketDeliveries, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Delivery, toDelivery } from './views.ts'

// Not the bytes back: the seller has them.
const { content: _bytes, ...described } = getTableColumns(ticketDeliveries)

/**
 * Hex made natively, decoded by PostgreSQL: PGlite's own encoding of a 2 MB Uint8Array parameter
 * took seconds (postgres.js sends bytea as hex text either way).
 */
const hexOf = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')

export type DeliveryInput =
  | { kind: 'code' | 'url'; value: string }
  | { kind: 'file'; content: Uint8Array; contentType: string; fileName: string }

/**
 * The seller adds or replaces what the buyer needs to get in, until the event starts. The
 * ticket shows `delivery: 'ready'` from now on (its version does not change: the details are
 * no part of the state other services copy), and a pending deadline for it is dropped.
 */
export async function putDelivery(
  deps: Pick<Deps, 'clock' | 'logger'>,
  tx: Tx,
  input: { ticketId: string; userId: string; delivery: DeliveryInput },
): Promise<Delivery> {
  const ticket = await lockTicket(tx, input.ticketId)
  if (!ticket) throw new NotFoundError('Ticket not found')
  if (ticket.userId !== input.userId) throw new ForbiddenError('You do not own this ticket')
  const now = deps.clock()
  if (ticket.eventDates && ticket.eventDates.startsAt <= now) {
    throw new BadRequestError('The event has started: the delivery can no longer change')
  }
  const d = input.delivery
  const row =
    d.kind === 'file'
      ? {
          kind: d.kind,
          value: null,
          content: sql<Uint8Array>`decode(${hexOf(d.content)}, 'hex')`,
          contentType: d.contentType,
          fileName: d.fileName,
          size: d.content.byteLength,
        }
      : {
          kind: d.kind,
          value: d.value,
          content: null,
          contentType: null,
          fileName: null,
          size: null,
        }
  const [saved] = await tx.db
    .insert(ticketDeliveries)
    .values({ ticketId: ticket.id, ...row, updatedAt: now })
    .onConflictDoUpdate({ target: ticketDeliveries.ticketId, set: { ...row, updatedAt: now } })
    .returning(described)
  if (!ticket.hasDelivery) {
    await tx.db
      .update(tickets)
      .set({ hasDelivery: true, updatedAt: now })
      .where(eq(tickets.id, ticket.id))
  }
  const dropped = await tx.db
    .delete(deliveryDeadlines)
    .where(eq(deliveryDeadlines.ticketId, ticket.id))
    .returning({ orderId: deliveryDeadlines.orderId })
  deps.logger.info('delivery added', {
    ticketId: ticket.id,
    kind: d.kind,
    deadlinesMet: dropped.length,
  })
  return toDelivery(saved as NonNullable<typeof saved>)
}
