import {
  type ClaimOutcome,
  ConflictError,
  createEnvelope,
  enqueue,
  NotFoundError,
  type Tx,
} from '@twtix/common'
import { and, eq } from 'drizzle-orm'
import { claims, outbox } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type ClaimView, claimView } from '../views.ts'

export type ResolveClaimInput = {
  claimId: string
  adminId: string
  outcome: ClaimOutcome
  note?: string
  correlationId?: string
}

/**
 * An admin decides an open claim → claim.resolved: `refund` (payments refunds the buyer and
 * cancels the payout) or `release` (the payout goes ahead). The status check is part of the
 * update, so two admins at once: one resolves it, the other gets 409.
 */
export async function resolveClaim(
  deps: Deps,
  tx: Tx,
  input: ResolveClaimInput,
): Promise<ClaimView> {
  const now = deps.clock()
  const [claim] = await tx.db
    .update(claims)
    .set({
      status: 'resolved',
      outcome: input.outcome,
      note: input.note ?? null,
      resolvedAt: now,
      resolvedBy: input.adminId,
    })
    .where(and(eq(claims.id, input.claimId), eq(claims.status, 'open')))
    .returning()
  if (!claim) {
    const [existing] = await tx.db
      .select({ id: claims.id })
      .from(claims)
      .where(eq(claims.id, input.claimId))
    if (!existing) throw new NotFoundError('Claim not found')
    throw new ConflictError('Claim is already resolved')
  }
  await enqueue(
    tx,
    outbox,
    createEnvelope(
      'claim.resolved',
      {
        id: claim.id,
        orderId: claim.orderId,
        outcome: input.outcome,
        ticket: { id: claim.ticketId },
      },
      { occurredAt: now, correlationId: input.correlationId },
    ),
  )
  deps.logger.info('claim resolved', {
    claimId: claim.id,
    outcome: input.outcome,
    adminId: input.adminId,
  })
  return claimView(claim)
}
