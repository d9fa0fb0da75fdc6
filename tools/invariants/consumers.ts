import type { Subject, Subscriptions } from '@twtix/common'
import { subscriptions as expiration } from '../../services/expiration/src/events/subscriptions.ts'
import { subscriptions as orders } from '../../services/orders/src/events/subscriptions.ts'
import { subscriptions as payments } from '../../services/payments/src/events/subscriptions.ts'
import { subscriptions as tickets } from '../../services/tickets/src/events/subscriptions.ts'

// Each service's consumer group is its name (startConsumer's `group` in its service.ts). The
// subjects come from the services' own subscription lists, so a new subscription is checked
// without anyone remembering to add it here; building them only creates closures.
const groups: Record<string, (deps: never) => Subscriptions> = {
  tickets,
  orders,
  expiration,
  payments,
}

/** subject → the consumer groups that must apply every event of that subject. */
export const consumersOf: Map<string, string[]> = (() => {
  const map = new Map<string, string[]>()
  for (const [group, build] of Object.entries(groups)) {
    for (const subject of Object.keys(build({} as never)) as Subject[]) {
      map.set(subject, [...(map.get(subject) ?? []), group])
    }
  }
  return map
})()
