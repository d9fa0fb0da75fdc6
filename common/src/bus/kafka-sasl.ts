import type { SASLOptions } from 'kafkajs'
import { ConfigError } from '../config.ts'

export type KafkaSaslConfig = {
  KAFKA_SASL_MECHANISM?: 'scram-sha-256' | 'scram-sha-512'
  KAFKA_SASL_USERNAME?: string
  KAFKA_SASL_PASSWORD?: string
}

/**
 * kafkajs's `sasl` from the KAFKA_SASL_* settings: none when all three are unset, SCRAM (SHA-512
 * unless the mechanism says otherwise) when a user and password are set. Half a setting is a
 * configuration error, never a silent unauthenticated connection.
 */
export function kafkaSasl(config: KafkaSaslConfig): SASLOptions | undefined {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username } = config
  const password = config.KAFKA_SASL_PASSWORD
  if (!mechanism && !username && !password) return undefined
  const missing = !username ? 'KAFKA_SASL_USERNAME' : !password ? 'KAFKA_SASL_PASSWORD' : undefined
  if (missing) {
    throw new ConfigError(
      `Configuration error: ${missing}: KAFKA_SASL_* are set together (it is missing)`,
    )
  }
  return { mechanism: mechanism ?? 'scram-sha-512', username, password } as SASLOptions
}
