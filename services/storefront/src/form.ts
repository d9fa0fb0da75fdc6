import type { ErrorItem } from '@twtix/common'
import type { Context } from 'hono'

/** API errors split for a form: the ones naming a field sit beside it, the rest on top. */
export type FormErrors = { fields: Record<string, string>; general: string[] }

export const noErrors: FormErrors = { fields: {}, general: [] }

export function formErrors(items: ErrorItem[], fieldNames: readonly string[]): FormErrors {
  const errors: FormErrors = { fields: {}, general: [] }
  for (const item of items) {
    if (item.field && fieldNames.includes(item.field) && !errors.fields[item.field]) {
      errors.fields[item.field] = item.message
    } else {
      errors.general.push(item.message)
    }
  }
  return errors
}

/** The form's text fields; files and repeated names are not used by any storefront form. */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody()
  const fields: Record<string, string> = {}
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[name] = value
  }
  return fields
}

/**
 * What a person types as a price, as the API's number: "8,000", "８０００" and " 8000 " all mean
 * 8000. Anything that is not a plain number goes as typed, so the API's own message explains it.
 */
export function priceInput(text: string | undefined): unknown {
  if (text === undefined) return undefined
  const cleaned = text.normalize('NFKC').replace(/[,\s¥￥円]/g, '')
  if (cleaned === '') return undefined
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : text
}

/**
 * A local path to return to after signing in; anything else becomes `/`. Browsers drop tabs and
 * newlines from URLs and read `\` as `/`, so `/\t/evil.example` would leave the site; a control
 * character (NUL) cannot go in a Location header at all.
 */
export function safeNext(next: string | undefined): string {
  const local = /^\/(?![/\\])[^\s\\\p{Cc}]*$/u.test(next ?? '')
  return local && next ? next : '/'
}

/** A key the browser sends back with a form so a double submit is one order or one charge. */
export function idempotencyKeyOf(fields: Record<string, string>): Record<string, string> {
  const key = fields.idempotencyKey
  return key && /^[\w-]{8,64}$/.test(key) ? { 'Idempotency-Key': key } : {}
}
