import { ConfigError, readConfig } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { ExpirationConfigSchema } from './config.ts'

describe('expiration config', () => {
  it('sweeps every second in batches of 100 on port 3004 by default', () => {
    const config = readConfig(ExpirationConfigSchema, {})
    expect(config).toMatchObject({ PORT: 3004, SWEEP_BATCH_SIZE: 100, SWEEP_CRON: '* * * * * *' })
  })

  it('lets order events gather for 250 ms by default, up to 5 s, or not at all', () => {
    expect(readConfig(ExpirationConfigSchema, {}).EVENTS_GATHER_MS).toBe(250)
    expect(readConfig(ExpirationConfigSchema, { EVENTS_GATHER_MS: '0' }).EVENTS_GATHER_MS).toBe(0)
    expect(() => readConfig(ExpirationConfigSchema, { EVENTS_GATHER_MS: '5001' })).toThrow(
      /EVENTS_GATHER_MS: must be at most 5000/,
    )
  })

  it('names a bad schedule or batch size', () => {
    expect(() => readConfig(ExpirationConfigSchema, { SWEEP_CRON: 'every second' })).toThrow(
      new ConfigError(
        'Configuration error: SWEEP_CRON: must be a cron expression (its value is invalid)',
      ),
    )
    expect(() => readConfig(ExpirationConfigSchema, { SWEEP_BATCH_SIZE: '0' })).toThrow(
      /SWEEP_BATCH_SIZE: must be at least 1/,
    )
  })
})
