import { inTransaction } from '@twtix/common'
import { eq } from 'drizzle-orm'
import * as v from 'valibot'
import { findPaymentOfIntent } from '../db/queries.ts'
import { stripeEvents } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import type { StripeEvent } from '../gateway/webhooks.ts'
import { failPayment } from './fail-payment.ts'
import { markRefunded } from './refund-payment.ts'
import { setPayoutsEnabled } from './seller-account.ts'
import { settlePayment } from './settle-payment.ts'

const Intent = v.object({
  id: v.string(),
  metadata: v.optional(v.record(v.string(), v.string())),
  last_payment_error: v.optional(v.nullable(v.object({ message: v.optional(v.string()) }))),
})

const Account = v.object({ id: v.string(), payouts_enabled: v.boolean() })

const Charge = v.object({ payment_intent: v.nullable(v.string()), refunded: v.boolean() })

/** The event's object, or undefined when it is not the shape this handler reads. */
function read<S extends v.GenericSchema>(schema: S, value: unknown) {
  const result = v.safeParse(schema, value)
  return result.success ? (result.output as v.InferOutput<S>) : undefined
}

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored'

/**
 * Applies a verified Stripe event once. The handlers only move a payment forward from the state
 * they expect, so an event replayed before its id was recorded still changes nothing.
 */
export async function applyStripeEvent(deps: Deps, event: StripeEvent): Promise<WebhookOutcome> {
  const [seen] = await deps.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id))
  if (seen) return 'duplicate'
  const outcome = await handle(deps, event)
  await deps.db
    .insert(stripeEvents)
    .values({ id: event.id, type: event.type, receivedAt: deps.clock() })
    .onConflictDoNothing()
  return outcome
}

async function handle(deps: Deps, event: StripeEvent): Promise<WebhookOutcome> {
  switch (event.type) {
    case 'payment_intent.succeeded': {
      const intent = read(Intent, event.data.object)
      if (!intent) return 'ignored'
      const payment = await findPaymentOfIntent(deps.db, intent.id, intent.metadata?.paymentId)
      if (payment?.status !== 'pending') return 'ignored'
      await settlePayment(deps, payment.id, intent.id)
      return 'applied'
    }
    case 'payment_intent.payment_failed': {
      const intent = read(Intent, event.data.object)
      if (!intent) return 'ignored'
      const payment = await findPaymentOfIntent(deps.db, intent.id, intent.metadata?.paymentId)
      if (payment?.status !== 'pending') return 'ignored'
      const message = intent.last_payment_error?.message ?? 'The payment failed'
      await inTransaction(deps, (tx) =>
        failPayment(deps, tx, payment.id, { message, id: intent.id }),
      )
      return 'applied'
    }
    case 'charge.refunded': {
      const charge = read(Charge, event.data.object)
      if (!charge?.refunded || !charge.payment_intent) return 'ignored'
      const payment = await findPaymentOfIntent(deps.db, charge.payment_intent)
      // A pending payment with a charge is one being refunded by twtix right now.
      if (!payment?.stripeId || payment.status === 'failed' || payment.status === 'refunded') {
        return 'ignored'
      }
      await inTransaction(deps, (tx) => markRefunded(deps, tx, payment.id))
      return 'applied'
    }
    case 'account.updated': {
      const account = read(Account, event.data.object)
      if (!account) return 'ignored'
      const known = await setPayoutsEnabled(deps, account.id, account.payouts_enabled)
      return known ? 'applied' : 'ignored'
    }
    default:
      return 'ignored'
  }
}
