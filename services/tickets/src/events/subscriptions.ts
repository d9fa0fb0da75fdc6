import { onSessionRevoked, type Subscriptions } from '@twtix/common'
import type { Deps } from '../deps.ts'
import { onClaimResolved } from './on-claim-resolved.ts'
import { onOrderCancelled } from './on-order-cancelled.ts'
import { onOrderCompleted } from './on-order-completed.ts'
import { onOrderCreated } from './on-order-created.ts'

export function subscriptions(deps: Deps): Subscriptions {
  return {
    'session.revoked': onSessionRevoked(deps),
    'order.created': onOrderCreated(deps),
    'order.cancelled': onOrderCancelled(deps),
    'order.completed': onOrderCompleted(deps),
    'claim.resolved': onClaimResolved(deps),
  }
}
