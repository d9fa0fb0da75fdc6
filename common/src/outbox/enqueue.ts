import type { Db } from '../db/types.ts'
import { baseTopicOf, keyOf } from '../events/catalogue.ts'
import type { AnyEnvelope } from '../events/envelope.ts'
import type { OutboxTable } from './tables.ts'

const enqueuing = new WeakSet<Db>()

/** Whether `enqueue` wrote into this transaction: only then is the relay worth waking. */
export function enqueuedIn(tx: Db): boolean {
  return enqueuing.has(tx)
}

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

/** Writes an event into the caller's transaction; the relay publishes it after commit. */
export async function enqueue(tx: Db, outbox: OutboxTable, event: AnyEnvelope): Promise<void> {
  enqueuing.add(tx)
  await tx.insert(outbox).values(outboxRow(event))
}
