import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { baseConfigEntries, ConfigError, envBool, readConfig } from './config.ts'

const Schema = v.object({ ...baseConfigEntries(3001), SECURE: envBool(false), SECRET: v.string() })

describe('readConfig', () => {
  it('applies defaults and converts types', () => {
    const config = readConfig(Schema, { SECRET: 's', DATABASE_POOL_SIZE: '25', SECURE: 'true' })
    expect(config.PORT).toBe(3001)
    expect(config.DATABASE_POOL_SIZE).toBe(25)
    expect(config.SECURE).toBe(true)
    expect(config.TOPIC_PREFIX).toBe('')
  })

  it('names the missing variable in one line', () => {
    expect(() => readConfig(Schema, {})).toThrow(ConfigError)
    expect(() => readConfig(Schema, {})).toThrow(/^Configuration error: SECRET: .*missing/)
  })

  it('names a bad value', () => {
    expect(() => readConfig(Schema, { SECRET: 's', PORT: 'eighty' })).toThrow(
      /PORT: must be a whole number/,
    )
    expect(() => readConfig(Schema, { SECRET: 's', DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL/,
    )
  })

  it('treats an empty value as unset', () => {
    expect(readConfig(Schema, { SECRET: 's', PORT: '' }).PORT).toBe(3001)
  })
})
