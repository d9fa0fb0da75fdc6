import { onSessionRevoked, type Subscriptions } from '@twtix/common'
import type { Deps } from '../deps.ts'
import { onClaimOpened } from './on-claim-opened.ts'
import { onClaimResolved } from './on-claim-resolved.ts'
import { onEventChanged } from './on-event-changed.ts'
import { onOrderCancelled } from './on-order-cancelled.ts'
import { onOrderCompleted } from './on-order-completed.ts'
import { onOrderCreated } from './on-order-created.ts'
import { onTicketUndelivered } from './on-ticket-undelivered.ts'

export function subscriptions(deps: Deps): Subscriptions {
  return {
    'session.revoked': onSessionRevoked(deps),
    'order.created': onOrderCreated(deps),
    'order.cancelled': onOrderCancelled(deps),
    'order.completed': onOrderCompleted(deps),
    'ticket.undelivered': onTicketUndelivered(deps),
    'event.created': onEventChanged(deps),
    'event.updated': onEventChanged(deps),
    'claim.opened': onClaimOpened(deps),
    'claim.resolved': onClaimResolved(deps),
  }
}
