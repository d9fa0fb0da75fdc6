import type { Context } from 'hono'
import { validator } from 'hono/validator'
import * as v from 'valibot'
import { BadRequestError, type ErrorItem, RequestValidationError } from '../errors.ts'

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
  if (!jsonType.test(type)) throw new BadRequestError('Content-Type must be application/json')
}

/**
 * Validates one part of the request with a valibot schema; `c.req.valid(target)` is then typed.
 * A JSON body must say so in Content-Type and parse (hono answers 400 when it does not).
 */
export function validate<T extends Target, S extends v.GenericSchema>(target: T, schema: S) {
  return validator(target, (value, c): v.InferOutput<S> => {
    if (target === 'json') requireJson(c)
    const result = v.safeParse(schema, value)
    if (!result.success) throw new RequestValidationError(issuesToItems(result.issues))
    return result.output
  })
}
