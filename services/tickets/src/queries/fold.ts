/**
 * Text as events are compared and searched: NFKC (full-width "ＴＯＫＹＯ" is "TOKYO", half-width
 * kana are full-width), lower case, runs of spaces as one, trimmed.
 */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim()
}

/** A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
}
