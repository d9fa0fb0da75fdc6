import { createEnvelope, enqueue, NotFoundError, type Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { type EventRow, events, outbox } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { eventStateData } from '../views.ts'

export type EventChange = Partial<Pick<EventRow, 'status' | 'startsAt' | 'endsAt'>>

/**
 * The event, locked until the transaction ends: a listing being created holds it shared
 * (create-ticket.ts), so a status change waits for it and the listing sees the new status.
 */
export async function lockEvent(tx: Tx, id: string): Promise<EventRow> {
  const [row] = await tx.db.select().from(events).where(eq(events.id, id)).for('update')
  if (!row) throw new NotFoundError('Event not found')
  return row
}

/**
 * Applies a change to a locked event: version+1 and event.updated (its whole state) in the same
 * transaction. Every change to an event goes through here.
 */
export async function changeEvent(
  deps: Pick<Deps, 'clock'>,
  tx: Tx,
  current: EventRow,
  change: EventChange,
  meta: { correlationId?: string },
): Promise<EventRow> {
  const [updated] = await tx.db
    .update(events)
    .set({ ...change, version: current.version + 1 })
    .where(eq(events.id, current.id))
    .returning()
  if (!updated) throw new Error(`event ${current.id} vanished while locked`)
  await enqueue(
    tx,
    outbox,
    createEnvelope('event.updated', eventStateData(updated), {
      occurredAt: deps.clock(),
      correlationId: meta.correlationId,
    }),
  )
  return updated
}
