const yenFormat = new Intl.NumberFormat('ja-JP', { style: 'currency', currency: 'JPY' })

/**
 * ¥8,000: Japan's format (JPY has no minor unit, so the price is the amount), drawn with the yen
 * sign U+00A5 that every font has; ja-JP's full-width ￥ (U+FFE5) is a blank box in browsers
 * without a Japanese font.
 */
export const yen = (amount: number) =>
  yenFormat
    .formatToParts(amount)
    .map((part) => (part.type === 'currency' ? '¥' : part.value))
    .join('')

const tokyoFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Asia/Tokyo',
})

/** A moment as people at the venue read it: "3 May 2026, 19:30 JST". */
export const tokyoTime = (iso: string) => `${tokyoFormat.format(new Date(iso))} JST`

/** Whole seconds left until `iso`, never negative; a started second counts as left. */
export function secondsUntil(iso: string, now: Date): number {
  return Math.max(0, Math.ceil((new Date(iso).getTime() - now.getTime()) / 1000))
}

const pad = (n: number) => String(n).padStart(2, '0')

/** 14:59, or 1:02:03 past an hour; the countdown script formats the same way. */
export function clockText(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}
