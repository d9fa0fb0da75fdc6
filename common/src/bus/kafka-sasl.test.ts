import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { ConfigError, kafkaSaslConfigEntries, readConfig } from '../config.ts'
import { kafkaSasl } from './kafka-sasl.ts'

const read = (env: Record<string, string>) =>
  kafkaSasl(readConfig(v.object(kafkaSaslConfigEntries()), env))

describe('kafkaSasl', () => {
  it('is off when no KAFKA_SASL_* is set (a PLAINTEXT listener)', () => {
    expect(read({})).toBeUndefined()
    expect(read({ KAFKA_SASL_USERNAME: '', KAFKA_SASL_PASSWORD: '' })).toBeUndefined()
  })

  it('signs in with SCRAM-SHA-512 unless told otherwise, in either case', () => {
    expect(read({ KAFKA_SASL_USERNAME: 'orders', KAFKA_SASL_PASSWORD: 'pw' })).toEqual({
      mechanism: 'scram-sha-512',
      username: 'orders',
      password: 'pw',
    })
    expect(
      read({
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
        KAFKA_SASL_USERNAME: 'orders',
        KAFKA_SASL_PASSWORD: 'pw',
      }),
    ).toMatchObject({ mechanism: 'scram-sha-256' })
  })

  it('refuses half a setting and other mechanisms, naming the variable', () => {
    expect(() => read({ KAFKA_SASL_USERNAME: 'orders' })).toThrow(
      new ConfigError(
        'Configuration error: KAFKA_SASL_PASSWORD: KAFKA_SASL_* are set together (it is missing)',
      ),
    )
    expect(() => read({ KAFKA_SASL_PASSWORD: 'pw' })).toThrow(/KAFKA_SASL_USERNAME/)
    expect(() => read({ KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toThrow(/KAFKA_SASL_USERNAME/)
    // PLAIN would send the password in the clear over a PLAINTEXT connection.
    expect(() => read({ KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/KAFKA_SASL_MECHANISM/)
  })
})
