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
  /** `order_<id>`: ties the charge to the seller's transfer ("separate charges and transfers"). */
  transferGroup?: string
}

export type ChargeResult =
  | { status: 'succeeded'; id: string }
  | { status: 'declined'; message: string; id?: string }

export type RefundInput = { paymentIntentId: string; idempotencyKey: string }

/** A seller's share, sent to their connected account from the buyer's charge. */
export type TransferInput = {
  amount: number
  currency: 'jpy'
  /** The seller's connected account (acct_...). */
  destination: string
  /** The buyer's PaymentIntent (pi_...) or charge (ch_...) the transfer is funded from. */
  sourceTransaction: string
  transferGroup: string
  /** The payout's id: a call repeated after a crash returns the first transfer. */
  idempotencyKey: string
  metadata: Record<string, string>
}

export type AccountLinkInput = { accountId: string; refreshUrl: string; returnUrl: string }

export type PaymentGateway = {
  /** `offline` or `stripe`, for the start-up line. */
  name: string
  charge(input: ChargeInput): Promise<ChargeResult>
  refund(input: RefundInput): Promise<{ id: string }>
  /** A Connect Express account in Japan for a seller; the key makes a retry return the first. */
  createAccount(input: { userId: string; idempotencyKey: string }): Promise<{ id: string }>
  /** Where the seller completes onboarding (Stripe's hosted page; offline: twtix's own route). */
  accountLink(input: AccountLinkInput): Promise<{ url: string }>
  transfer(input: TransferInput): Promise<{ id: string }>
  reverseTransfer(input: { transferId: string; idempotencyKey: string }): Promise<{ id: string }>
}
