import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor } from './cursor.ts'

const id = '6f1c1a4e-8d1b-4f7e-9a51-3f0f4c2b9d10'
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('cursor', () => {
  it('decodes what it encoded', () => {
    const cursor = { createdAt: new Date('2026-03-01T12:34:56.789Z'), id }
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor)
  })

  it.each([
    ['year 0, which PostgreSQL cannot read', ['0000-01-01T00:00:00.000Z', id]],
    ['a date JavaScript rolls over', ['2026-02-31T00:00:00.000Z', id]],
    ['another spelling of a valid date', ['2026-01-01T00:00:00Z', id]],
    ['an offset instead of Z', ['2026-01-01T09:00:00.000+09:00', id]],
    ['an extra item', ['2026-01-01T00:00:00.000Z', id, 'more']],
  ])('refuses a cursor it never makes: %s', (_, value) => {
    expect(decodeCursor(encode(value))).toBeUndefined()
  })
})
