import { type AnyEnvelope, PoisonMessageError } from '@twtix/common'

/**
 * tickets owns tickets: its ticket.created commits before any order can name the ticket, so an
 * order event for an id unknown here will never become applicable. Waiting (RetryLaterError) would
 * only delay the same outcome; skipping would drop it unseen. It is dead-lettered at once instead,
 * logged, with the message kept for inspection and replay.
 */
export function unknownTicket(event: AnyEnvelope, ticketId: string): PoisonMessageError {
  return new PoisonMessageError(`${event.type} ${event.id} names unknown ticket ${ticketId}`)
}
