import { createInProcessBus } from '../bus/in-process.ts'
import type { OutgoingMessage } from '../bus/port.ts'
import type { Db } from '../db/types.ts'
import { memoryLogger } from '../logger.ts'
import { type Subscriptions, startConsumer } from '../outbox/consume.ts'
import type { ProcessedEventsTable } from '../outbox/tables.ts'

/**
 * A service's consumer of `subscriptions`, as `startConsumer` runs it, on an in-process bus under
 * a topic prefix of its own: `publish` delivers to it by base topic name, and `logger` holds what
 * it logged (a skipped duplicate, say).
 */
export async function startTestConsumer(o: {
  db: Db
  processed: ProcessedEventsTable
  group: string
  subscriptions: Subscriptions
}) {
  const prefix = `t${crypto.randomUUID().slice(0, 6)}-`
  const bus = createInProcessBus({ logger: memoryLogger() })
  const logger = memoryLogger()
  await startConsumer({ ...o, bus, topicPrefix: prefix, logger })
  return {
    logger,
    publish: (topic: string, messages: OutgoingMessage[]) => bus.publish(prefix + topic, messages),
    close: () => bus.close(),
  }
}
