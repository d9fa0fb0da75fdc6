/**
 * Stripe's test card tokens (docs.stripe.com/testing) and what Stripe answers for each: the
 * offline gateway behaves the same, so the embedded start and Stripe's test mode agree.
 */
export const succeedingTokens = new Set([
  'tok_visa',
  'tok_visa_debit',
  'tok_mastercard',
  'tok_mastercard_debit',
  'tok_mastercard_prepaid',
  'tok_amex',
  'tok_discover',
  'tok_diners',
  'tok_jcb',
  'tok_unionpay',
  'tok_jp',
  'tok_us',
  'tok_gb',
  'tok_bypassPending',
])

const declined = 'Your card was declined.'

export const decliningTokens: Record<string, string> = {
  tok_chargeDeclined: declined,
  tok_visa_chargeDeclined: declined,
  tok_chargeDeclinedInsufficientFunds: 'Your card has insufficient funds.',
  tok_visa_chargeDeclinedInsufficientFunds: 'Your card has insufficient funds.',
  tok_chargeDeclinedLostCard: declined,
  tok_visa_chargeDeclinedLostCard: declined,
  tok_chargeDeclinedStolenCard: declined,
  tok_visa_chargeDeclinedStolenCard: declined,
  tok_chargeDeclinedFraudulent: declined,
  tok_visa_chargeDeclinedFraudulent: declined,
  tok_riskLevelHighest: declined,
  tok_chargeDeclinedExpiredCard: 'Your card has expired.',
  tok_visa_chargeDeclinedExpiredCard: 'Your card has expired.',
  tok_chargeDeclinedIncorrectCvc: "Your card's security code is incorrect.",
  tok_visa_chargeDeclinedIncorrectCvc: "Your card's security code is incorrect.",
  tok_cvcCheckFail: "Your card's security code is incorrect.",
  tok_chargeDeclinedProcessingError:
    'An error occurred while processing your card. Try again in a little bit.',
  tok_visa_chargeDeclinedProcessingError:
    'An error occurred while processing your card. Try again in a little bit.',
  tok_chargeDeclinedVelocityLimitExceeded:
    'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
}
