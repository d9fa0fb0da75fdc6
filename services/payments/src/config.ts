import { baseConfigEntries, envBool, envInt, envUrl, tokenConfigEntries } from '@twtix/common'
import * as v from 'valibot'

export const PaymentsConfigSchema = v.object({
  ...baseConfigEntries(3005),
  ...tokenConfigEntries(),
  /** Stripe's secret key. Without it payments refuses to start, unless PAYMENTS_OFFLINE=true. */
  STRIPE_SECRET_KEY: v.optional(
    v.pipe(v.string(), v.regex(/^(sk|rk)_/, 'must start with sk_ or rk_')),
  ),
  /**
   * true: the offline gateway (Stripe's test tokens, no money moves) when there is no Stripe
   * key. Never implied: a deployment that lost its key must not start taking test cards.
   */
  PAYMENTS_OFFLINE: envBool(false),
  /** whsec_...: without it the webhook route answers 400. */
  STRIPE_WEBHOOK_SECRET: v.optional(v.string()),
  /** Another Stripe API host, e.g. http://127.0.0.1:12111 (stripe-mock or a test server). */
  STRIPE_API_URL: v.optional(envUrl()),
  /** Card testing: after this many declined payments an order is cancelled. */
  PAYMENT_DECLINES_PER_ORDER: envInt(5, 1),
  /** ... and a buyer with this many declines in the window is refused until it moves on. */
  PAYMENT_DECLINES_PER_USER: envInt(15, 1),
  PAYMENT_DECLINE_WINDOW_SECONDS: envInt(86_400, 1),
  /** Charges (made or declined) per buyer per minute (per replica); refusals do not count. */
  RATE_LIMIT_PAYMENTS_PER_MINUTE: envInt(10, 1),
  /** A seller is paid this many days after the event ends (its start when the end is unknown). */
  PAYOUT_DELAY_DAYS: envInt(3, 0, 365),
  /** Where Stripe sends a seller back after onboarding (and when its link expired). */
  PAYOUTS_RETURN_URL: v.optional(envUrl(), 'http://localhost:3000/sales'),
})

export type PaymentsConfig = v.InferOutput<typeof PaymentsConfigSchema>

export type StripeHost = { host: string; port: number; protocol: 'http' | 'https' }

/** `http://127.0.0.1:12111` → what `new Stripe(key, {host, port, protocol})` takes. */
export function stripeHostOf(url: string): StripeHost {
  const parsed = new URL(url)
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https'
  const port = parsed.port ? Number(parsed.port) : protocol === 'http' ? 80 : 443
  return { host: parsed.hostname, port, protocol }
}
