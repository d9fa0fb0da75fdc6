import * as v from 'valibot'

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-](\d{2}):(\d{2}))$/

function realDate(y: number, m: number, d: number): boolean {
  // Day 0 of the next month is the last day of this one.
  return y >= 1970 && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate()
}

/**
 * An ISO 8601 instant with its offset (`2026-08-01T18:00:00+09:00`), or undefined. Strict, so a
 * date JavaScript would roll over (Feb 31) or PostgreSQL cannot store is refused, not changed.
 */
export function parseInstant(text: string): Date | undefined {
  const m = TIMESTAMP.exec(text)
  if (!m) return undefined
  const [y, mo, d, h, mi, s, , oh, om] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)))
  if (!realDate(y as number, mo as number, d as number)) return undefined
  if ((h as number) > 23 || (mi as number) > 59 || (s as number) > 59) return undefined
  if ((oh as number) > 14 || (om as number) > 59) return undefined
  const at = new Date(text)
  return Number.isNaN(at.getTime()) || at.getUTCFullYear() > 9999 ? undefined : at
}

/** Japan's offset: a bare date in a query means that day in Japan. */
const JST = '+09:00'

/** A bare date (`2026-08-01`, midnight in Japan) or an instant, or undefined. */
export function parseDateOrInstant(text: string): { at: Date; dateOnly: boolean } | undefined {
  const m = DATE.exec(text)
  if (m) {
    if (!realDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined
    return { at: new Date(`${text}T00:00:00${JST}`), dateOnly: true }
  }
  const at = parseInstant(text)
  return at && { at, dateOnly: false }
}

/** A body field: an instant with its offset, as a Date. */
export const Instant = (field: string) =>
  v.pipe(
    v.string(`${field} must be a string`),
    v.check(
      (s) => parseInstant(s) !== undefined,
      `${field} must be a date and time with an offset, such as 2026-08-01T18:00:00+09:00`,
    ),
    v.transform((s) => parseInstant(s) as Date),
  )
