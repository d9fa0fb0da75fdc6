import {
  BadRequestError,
  type ClaimReason,
  ConflictError,
  createEnvelope,
  enqueue,
  NotFoundError,
  type Tx,
} from '@twtix/common'
import { eq } from 'drizzle-orm'
import { claims, orders, outbox, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type ClaimView, claimView } from '../views.ts'

export type OpenClaimInput = {
  orderId: string
  userId: string
  reason: ClaimReason
  details?: string
  correlationId?: string
}

export const CLAIM_WINDOW_CLOSED = 'The claim window for this order has closed'
export const CLAIM_ALREADY_OPEN = 'This order already has an open claim'
export const CLAIM_ALREADY_RESOLVED = 'A claim on this order was already resolved'

/**
 * Until when the buyer may claim: CLAIM_WINDOW_HOURS after the event's end, or its start when the
 * end is unknown; for a listing without an event, after the order was paid.
 */
export function claimDeadline(
  deps: Pick<Deps, 'config'>,
  at: { eventEndsAt: Date | null; eventStartsAt: Date | null; paidAt: Date | null },
): Date | null {
  const from = at.eventEndsAt ?? at.eventStartsAt ?? at.paidAt
  return from && new Date(from.getTime() + deps.config.CLAIM_WINDOW_HOURS * 3_600_000)
}

/**
 * The buyer of a paid order opens a claim (buyer guarantee) → claim.opened, on which payments
 * holds the seller's payout. Someone else's order is 404, as if it did not exist. One claim per
 * order, ever: the order row is locked so two attempts serialise and the second sees the first
 * (open or resolved); the partial unique index still backs the open case.
 */
export async function openClaim(deps: Deps, tx: Tx, input: OpenClaimInput): Promise<ClaimView> {
  const now = deps.clock()
  const [row] = await tx.db
    .select({
      order: orders,
      eventStartsAt: tickets.eventStartsAt,
      eventEndsAt: tickets.eventEndsAt,
    })
    .from(orders)
    .innerJoin(tickets, eq(tickets.id, orders.ticketId))
    .where(eq(orders.id, input.orderId))
  if (!row || row.order.userId !== input.userId) throw new NotFoundError('Order not found')
  const { order } = row
  if (order.status !== 'complete') throw new BadRequestError('Only a paid order can be claimed')
  if (order.refundedAt) throw new BadRequestError('This order has been refunded')
  const deadline = claimDeadline(deps, { ...row, paidAt: order.endedAt })
  if (deadline && now >= deadline) throw new BadRequestError(CLAIM_WINDOW_CLOSED)
  // Serialises claims on this order: a concurrent attempt waits here, then sees this one.
  await tx.db.select({ id: orders.id }).from(orders).where(eq(orders.id, order.id)).for('update')
  const [earlier] = await tx.db
    .select({ status: claims.status })
    .from(claims)
    .where(eq(claims.orderId, order.id))
    .limit(1)
  if (earlier?.status === 'resolved') throw new ConflictError(CLAIM_ALREADY_RESOLVED)
  if (earlier) throw new ConflictError(CLAIM_ALREADY_OPEN)
  const [claim] = await tx.db
    .insert(claims)
    .values({
      id: crypto.randomUUID(),
      orderId: order.id,
      userId: input.userId,
      ticketId: order.ticketId,
      reason: input.reason,
      details: input.details ?? null,
      status: 'open',
      openedAt: now,
    })
    .onConflictDoNothing()
    .returning()
  if (!claim) throw new ConflictError(CLAIM_ALREADY_OPEN)
  await enqueue(
    tx,
    outbox,
    createEnvelope(
      'claim.opened',
      {
        id: claim.id,
        orderId: order.id,
        userId: input.userId,
        reason: claim.reason,
        ticket: { id: order.ticketId },
      },
      { occurredAt: now, correlationId: input.correlationId },
    ),
  )
  deps.logger.info('claim opened', { claimId: claim.id, orderId: order.id })
  return claimView(claim)
}
