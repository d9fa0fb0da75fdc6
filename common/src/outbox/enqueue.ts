import { type SQL, sql } from 'drizzle-orm'
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

const p = (name: string) => sql.placeholder(name)

/**
 * An event written inside a statement beside the change it announces: one outbox row per row of
 * `from` (a relation, and any condition after it), its values from placeholders named as
 * `outboxRow`'s keys. The statement's caller wakes the relay once it has committed.
 */
export function outboxInsert(outbox: OutboxTable, from: SQL): SQL {
  const columns = [outbox.eventId, outbox.type, outbox.topic, outbox.key, outbox.payload]
  return sql`
    insert into ${outbox} (${sql.join(
      columns.map((c) => sql.identifier(c.name)),
      sql`, `,
    )})
    select ${p('eventId')}::uuid, ${p('type')}, ${p('topic')}, ${p('key')}, ${p('payload')}
    from ${from}`
}

/**
 * The one way to publish an event: write it into the transaction's outbox; the relay publishes
 * it once the transaction's opener has committed and woken it.
 */
export async function enqueue(tx: Tx, outbox: OutboxTable, event: AnyEnvelope): Promise<void> {
  tx.enqueued = true
  await tx.db.insert(outbox).values(outboxRow(event))
}
