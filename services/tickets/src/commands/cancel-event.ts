import { ConflictError, type Tx } from '@twtix/common'
import type { Deps } from '../deps.ts'
import { type Event, toEvent } from '../views.ts'
import { changeEvent, lockEvent } from './change-event.ts'

/**
 * An admin cancels an event: its listings leave the listing at once and cannot be ordered; the
 * other services end its orders from event.updated (orders cancels the open ones, payments
 * refunds the paid ones and cancels their payouts).
 */
export async function cancelEvent(
  deps: Pick<Deps, 'clock' | 'logger'>,
  tx: Tx,
  input: { eventId: string; adminId: string },
  meta: { correlationId?: string } = {},
): Promise<Event> {
  const current = await lockEvent(tx, input.eventId)
  if (current.status === 'cancelled') throw new ConflictError('Event is already cancelled')
  const updated = await changeEvent(deps, tx, current, { status: 'cancelled' }, meta)
  deps.logger.info('event cancelled', { eventId: updated.id, adminId: input.adminId })
  return toEvent(updated, deps.clock())
}
