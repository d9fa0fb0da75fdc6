import type { Context } from 'hono'
import { validator } from 'hono/validator'
import * as v from 'valibot'
import { type ErrorItem, RequestValidationError } from '../errors.ts'

type Target = 'json' | 'query' | 'param' | 'form'

const jsonType = /^application\/([\w.-]+\+)?json$/i

/** One entry per bad field, named by its dotted path. */
export function issuesToItems(issues: readonly v.BaseIssue<unknown>[]): ErrorItem[] {
  const seen = new Set<string>()
  const items: ErrorItem[] = []
  for (const issue of issues) {
    const field = issue.path?.map((p) => String(p.key)).join('.')
    if (seen.has(field ?? '')) continue
    seen.add(field ?? '')
    // valibot reports a missing key as an object issue; say it the way a person would.
    const missing = issue.type === 'object' && issue.received === 'undefined' && field
    const message = missing ? `${field} is required` : issue.message
    items.push(field ? { message, field } : { message })
  }
  return items
}

function requireJson(c: Context) {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? ''
  if (!jsonType.test(type)) {
    throw new RequestValidationError([{ message: 'Content-Type must be application/json' }])
  }
}

const loneSurrogate = /[\ud800-\udfff]/u

/**
 * Strings PostgreSQL cannot store as sent: NUL makes the insert fail, an unpaired surrogate is
 * silently turned into U+FFFD. Refused here so they are a 400 naming the field, never a 500
 * or a changed value. Walks without recursion: the input may be deeply nested.
 */
function unstorableText(value: unknown): ErrorItem[] {
  const items: ErrorItem[] = []
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }]
  while (stack.length > 0) {
    const next = stack.pop() as { value: unknown; path: string[] }
    const field = next.path.join('.')
    if (typeof next.value === 'string') {
      const what = field || 'Text'
      if (next.value.includes('\u0000')) {
        items.push({ message: `${what} must not contain NUL characters`, field })
      } else if (loneSurrogate.test(next.value)) {
        items.push({ message: `${what} must be valid Unicode text`, field })
      }
    } else if (next.value !== null && typeof next.value === 'object') {
      for (const [key, inner] of Object.entries(next.value)) {
        stack.push({ value: inner, path: [...next.path, key] })
      }
    }
  }
  return items.map((item) => (item.field ? item : { message: item.message }))
}

/**
 * Validates one part of the request with a valibot schema; `c.req.valid(target)` is then typed.
 * A JSON body must say so in Content-Type, parse (hono answers 400 when it does not) and be an
 * object; strings the database cannot store are refused after the schema has run.
 */
export function validate<T extends Target, S extends v.GenericSchema>(target: T, schema: S) {
  return validator(target, (value, c): v.InferOutput<S> => {
    if (target === 'json') {
      requireJson(c)
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new RequestValidationError([{ message: 'Request body must be a JSON object' }])
      }
    }
    const result = v.safeParse(schema, value)
    if (!result.success) throw new RequestValidationError(issuesToItems(result.issues))
    const unstorable = unstorableText(result.output)
    if (unstorable.length > 0) throw new RequestValidationError(unstorable)
    return result.output
  })
}
