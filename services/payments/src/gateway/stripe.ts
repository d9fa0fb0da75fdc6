import Stripe from 'stripe'
import type { StripeHost } from '../config.ts'
import type { ChargeResult, PaymentGateway } from './port.ts'

// The SDK's types list card numbers but not the `card: {token}` form the API accepts for
// tokens from Stripe.js / test mode (PaymentMethodCreateParams.Card documents it).
type TokenCardData = Stripe.PaymentIntentCreateParams.PaymentMethodData & {
  card: { token: string }
}

export type StripeGatewayOptions = { secretKey: string; api?: StripeHost }

export function createStripeClient(options: StripeGatewayOptions): Stripe {
  return new Stripe(options.secretKey, { ...options.api, maxNetworkRetries: 2 })
}

function isStripeError(err: unknown, type: string): err is Stripe.errors.StripeError {
  return err instanceof Stripe.errors.StripeError && err.type === type
}

/**
 * Charges with one PaymentIntent created and confirmed server-side; the amount comes from the
 * order, never from the client. A decline is an answer, not an error.
 */
export function createStripeGateway(options: StripeGatewayOptions): PaymentGateway {
  const stripe = createStripeClient(options)
  return {
    name: 'stripe',
    async charge(input): Promise<ChargeResult> {
      const paymentMethodData: TokenCardData = { type: 'card', card: { token: input.token } }
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount: input.amount,
            currency: input.currency,
            payment_method_data: paymentMethodData,
            confirm: true,
            // No redirect-based methods and no 3-D Secure round trip: this API has no return page.
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            error_on_requires_action: true,
            metadata: input.metadata,
            ...(input.transferGroup ? { transfer_group: input.transferGroup } : {}),
          },
          { idempotencyKey: input.idempotencyKey },
        )
        if (intent.status === 'succeeded') return { status: 'succeeded', id: intent.id }
        const message =
          intent.last_payment_error?.message ?? `The payment was not completed (${intent.status})`
        return { status: 'declined', message, id: intent.id }
      } catch (err) {
        if (isStripeError(err, 'StripeCardError')) {
          return { status: 'declined', message: err.message, id: err.payment_intent?.id }
        }
        // An unknown or used token is the card's fault too, not the server's.
        if (
          isStripeError(err, 'StripeInvalidRequestError') &&
          err.param?.startsWith('payment_method_data')
        ) {
          return { status: 'declined', message: err.message, id: err.payment_intent?.id }
        }
        throw err
      }
    },
    async refund(input) {
      try {
        const refund = await stripe.refunds.create(
          { payment_intent: input.paymentIntentId },
          { idempotencyKey: input.idempotencyKey },
        )
        return { id: refund.id }
      } catch (err) {
        // Refunded already (e.g. from the dashboard, or a key older than Stripe keeps): done.
        if (
          isStripeError(err, 'StripeInvalidRequestError') &&
          err.code === 'charge_already_refunded'
        ) {
          return { id: 'already_refunded' }
        }
        throw err
      }
    },
    async createAccount(input) {
      const account = await stripe.accounts.create(
        {
          type: 'express',
          country: 'JP',
          capabilities: { transfers: { requested: true } },
          metadata: { userId: input.userId },
        },
        { idempotencyKey: input.idempotencyKey },
      )
      return { id: account.id }
    },
    async accountLink(input) {
      const link = await stripe.accountLinks.create({
        account: input.accountId,
        refresh_url: input.refreshUrl,
        return_url: input.returnUrl,
        type: 'account_onboarding',
      })
      return { url: link.url }
    },
    async transfer(input) {
      const transfer = await stripe.transfers.create(
        {
          amount: input.amount,
          currency: input.currency,
          destination: input.destination,
          source_transaction: await chargeOf(stripe, input.sourceTransaction),
          transfer_group: input.transferGroup,
          metadata: input.metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      )
      return { id: transfer.id }
    },
    async reverseTransfer(input) {
      const reversal = await stripe.transfers.createReversal(
        input.transferId,
        {},
        { idempotencyKey: input.idempotencyKey },
      )
      return { id: reversal.id }
    },
  }
}

/** source_transaction takes a charge: a PaymentIntent's is its latest charge. */
async function chargeOf(stripe: Stripe, id: string): Promise<string> {
  if (!id.startsWith('pi_')) return id
  const intent = await stripe.paymentIntents.retrieve(id)
  const charge = intent.latest_charge
  if (!charge) throw new Error(`PaymentIntent ${id} has no charge to transfer from`)
  return typeof charge === 'string' ? charge : charge.id
}
