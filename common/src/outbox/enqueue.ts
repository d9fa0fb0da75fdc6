import { baseTopicOf, keyOf } from '../events/catalogue.ts'
import type { AnyEnvelope } from '../events/envelope.ts'
import type { OutboxTable } from './tables.ts'
import type { Tx } from './transaction.ts'

/** The outbox row of an event: its topic, its key (the aggregate's id) and the envelope. */
export function outboxRow(event: AnyEnvelope) {
  return {
    eventId: event.id,
    type: event.type,
    topic: baseTopicOf(event.type),
    key: keyOf(event.type, event.data as never),
    payload: JSON.stringify(event),
  }
}

/**
 * The one way to publish an event: write it into the transaction's outbox; the relay publishes
 * it once the transaction's opener has committed and woken it.
 */
export async function enqueue(tx: Tx, outbox: OutboxTable, event: AnyEnvelope): Promise<void> {
  tx.enqueued = true
  await tx.db.insert(outbox).values(outboxRow(event))
}
