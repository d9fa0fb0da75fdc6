import * as v from 'valibot'
import { MAX_PRICE } from '../routes/schemas.ts'
import { fromBase64Url, toBase64Url } from './cursor.ts'

/** A position in an event's listings, cheapest first: the last ticket of a page. */
export type PriceCursor = { price: number; id: string }

const Decoded = v.tuple([
  v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_PRICE)),
  v.pipe(v.string(), v.uuid()),
])

/** Opaque to clients: base64url of `[price, id]`. */
export function encodePriceCursor(cursor: PriceCursor): string {
  return toBase64Url(JSON.stringify([cursor.price, cursor.id]))
}

/** The cursor, or undefined when it is not exactly one `encodePriceCursor` made. */
export function decodePriceCursor(encoded: string): PriceCursor | undefined {
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
  const cursor = { price: parsed.output[0], id: parsed.output[1] }
  return encodePriceCursor(cursor) === encoded ? cursor : undefined
}
