import { onSessionRevoked, type Subscriptions } from '@twtix/common'
import type { Deps } from '../deps.ts'
import { onEventUpdated } from './on-event-updated.ts'
import { onExpirationCompleted } from './on-expiration-completed.ts'
import { onPaymentFailed } from './on-payment-failed.ts'
import { onPaymentRefunded } from './on-payment-refunded.ts'
import { onPaymentSucceeded } from './on-payment-succeeded.ts'
import { onTicketCreated } from './on-ticket-created.ts'
import { onTicketUpdated } from './on-ticket-updated.ts'

/** The events orders consumes, each applied once inside its processed-event transaction. */
export function subscriptions(deps: Deps): Subscriptions {
  return {
    'session.revoked': onSessionRevoked(deps),
    'ticket.created': onTicketCreated(deps),
    'ticket.updated': onTicketUpdated(deps),
    'event.updated': onEventUpdated(deps),
    'expiration.completed': onExpirationCompleted(deps),
    'payment.succeeded': onPaymentSucceeded(deps),
    'payment.failed': onPaymentFailed(deps),
    'payment.refunded': onPaymentRefunded(deps),
  }
}
