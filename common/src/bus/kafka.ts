import type { Logger } from '../logger.ts'
import type { EventBus, RetryPolicy } from './port.ts'

export type KafkaBusOptions = {
  brokers: string[]
  clientId: string
  partitions?: number
  policy?: RetryPolicy
  logger: Logger
}

/** The Kafka adapter of the bus port (kafkajs). */
export async function createKafkaBus(_options: KafkaBusOptions): Promise<EventBus> {
  throw new Error('The Kafka adapter is not built yet')
}
