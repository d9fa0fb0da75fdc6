/**
 * The abuse limits off, for load that comes from one address and a few accounts on purpose (the
 * bench, the fault suite, the hostile-input suites): they would measure the limits, not twtix.
 * Each limit has its own tests beside its code.
 */
export const LIMITS_OFF: Record<string, string> = {
  RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000',
  RATE_LIMIT_ORDERS_PER_MINUTE: '1000000',
  RATE_LIMIT_PAYMENTS_PER_MINUTE: '1000000',
  ORDERS_OPEN_PER_USER: '1000000',
  ORDER_COOLDOWN_SECONDS: '0',
  PAYMENT_DECLINES_PER_ORDER: '1000000',
  PAYMENT_DECLINES_PER_USER: '1000000',
  // Their clients sign in once and keep one access token for longer than the 15 minutes a
  // token lasts by default; sessions and refresh have their own tests.
  TOKEN_TTL_SECONDS: '86400',
}
