import { expect } from 'vitest'
import type { Reply } from './marketplace.ts'

/** Words that only leak from a stack trace, a driver or a library, never from a written message. */
const internals = [/Error:/, /\bat \S+ \(/, /\n\s+at /, /postgres/i, /drizzle/i, /valibot/i]

/**
 * A refusal as DESIGN.md promises it: a 4xx (one of `statuses` when given), the
 * `{errors:[{message, field?}]}` shape with a written message, and nothing internal.
 */
export function expectCleanError(reply: Reply, statuses?: number[]) {
  const context = `${reply.status} ${reply.text.slice(0, 500)}`
  expect(reply.status, context).toBeGreaterThanOrEqual(400)
  expect(reply.status, context).toBeLessThan(500)
  if (statuses) expect(statuses, context).toContain(reply.status)
  expect(reply.headers.get('Content-Type') ?? '', context).toMatch(/^application\/json/)
  expect(reply.body, context).toEqual({ errors: expect.any(Array) })
  const errors = reply.body.errors as unknown[]
  expect(errors.length, context).toBeGreaterThan(0)
  for (const error of errors) {
    expect(error, context).toEqual(
      expect.objectContaining({ message: expect.stringMatching(/\S/) }),
    )
    const keys = Object.keys(error as object)
    expect(
      keys.every((k) => k === 'message' || k === 'field'),
      context,
    ).toBe(true)
    const field = (error as { field?: unknown }).field
    if (field !== undefined) expect(typeof field, context).toBe('string')
  }
  for (const pattern of internals) expect(reply.text, context).not.toMatch(pattern)
}

/** The fields named by a validation refusal. */
export function fieldsOf(reply: Reply): string[] {
  const errors = (reply.body?.errors ?? []) as { field?: string }[]
  return errors.flatMap((e) => (e.field ? [e.field] : []))
}

/** A storefront refusal: an HTML error page with the status, and nothing internal in it. */
export function expectCleanPage(reply: Reply, statuses: number[]) {
  const context = `${reply.status} ${reply.text.slice(0, 300)}`
  expect(statuses, context).toContain(reply.status)
  expect(reply.headers.get('Content-Type') ?? '', context).toMatch(/^text\/html/)
  for (const pattern of internals) expect(reply.text, context).not.toMatch(pattern)
}
