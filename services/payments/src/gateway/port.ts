/** What a payment gateway does for twtix: charge a card token once per key, refund a charge. */
export type ChargeInput = {
  /** Whole yen: JPY has no minor unit, so this is the price itself. */
  amount: number
  currency: 'jpy'
  /** A card token from the client (Stripe.js), e.g. `tok_visa` in test mode. */
  token: string
  /** The same key returns the same result and never charges twice. */
  idempotencyKey: string
  metadata: Record<string, string>
}

export type ChargeResult =
  | { status: 'succeeded'; id: string }
  | { status: 'declined'; message: string; id?: string }

export type RefundInput = { paymentIntentId: string; idempotencyKey: string }

export type PaymentGateway = {
  /** `offline` or `stripe`, for the start-up line. */
  name: string
  charge(input: ChargeInput): Promise<ChargeResult>
  refund(input: RefundInput): Promise<{ id: string }>
}
