import * as v from 'valibot'

/** A position in a list: the last item of a page (its time and id). */
export type Cursor = { createdAt: Date; id: string }

const Decoded = v.tuple([v.pipe(v.string(), v.isoTimestamp()), v.pipe(v.string(), v.uuid())])

export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  const binary = Array.from(bytes, (b) => String.fromCharCode(b)).join('')
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function fromBase64Url(encoded: string): string | undefined {
  if (!/^[\w-]+$/.test(encoded)) return undefined
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'))
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(binary, (ch) => ch.charCodeAt(0)),
    )
  } catch {
    return undefined
  }
}

/** Opaque to clients: base64url of `[createdAt, id]`. */
export function encodeCursor(cursor: Cursor): string {
  return toBase64Url(JSON.stringify([cursor.createdAt.toISOString(), cursor.id]))
}

/**
 * The cursor, or undefined when it is not one this service made: only the exact encoding
 * `encodeCursor` produces is taken, so a crafted one (a date PostgreSQL cannot read, such as
 * year 0, or Feb 31 that JavaScript rolls over) is refused instead of reaching the query.
 */
export function decodeCursor(encoded: string): Cursor | undefined {
  const cursor = parseCursor(encoded)
  if (!cursor || cursor.createdAt.getUTCFullYear() < 1) return undefined
  return encodeCursor(cursor) === encoded ? cursor : undefined
}

function parseCursor(encoded: string): Cursor | undefined {
  const text = fromBase64Url(encoded)
  if (text === undefined) return undefined
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return undefined
  }
  const parsed = v.safeParse(Decoded, json)
  if (!parsed.success) return undefined
  const createdAt = new Date(parsed.output[0])
  if (Number.isNaN(createdAt.getTime())) return undefined
  return { createdAt, id: parsed.output[1] }
}
