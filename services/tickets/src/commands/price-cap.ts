import { RequestValidationError } from '@twtix/common'

const yen = (n: number) => `¥${n.toLocaleString('en-US')}`

/** The highest price a ticket of this face value may be listed at. */
export function maxPrice(faceValue: number, cap: number): number {
  // Rounded first: 1.1 × 1000 is 1100.0000000000002 in floating point.
  return Math.floor(Math.round(faceValue * cap * 10_000) / 10_000)
}

/**
 * Japan's ticket resale act: no resale above the face value (× RESALE_PRICE_CAP). A listing
 * without a face value (the original `{title, price}` API, no event) has nothing to cap.
 */
export function checkPriceCap(price: number, faceValue: number | null, cap: number): void {
  if (faceValue === null) return
  const max = maxPrice(faceValue, cap)
  if (price <= max) return
  throw new RequestValidationError([
    {
      message: `Price must be at most ${yen(max)}: resale is capped at ${cap}× the face value of ${yen(faceValue)}`,
      field: 'price',
    },
  ])
}
