import { createEnvelope, type EventData } from '@twtix/common'
import type { Deps } from '../deps.ts'

type PaymentSubject = 'payment.succeeded' | 'payment.failed' | 'payment.refunded'

/** A payments event; the order id correlates it with the rest of that order's story. */
export function paymentEvent<S extends PaymentSubject>(
  deps: Pick<Deps, 'clock'>,
  type: S,
  data: EventData<S>,
) {
  return createEnvelope(type, data, {
    occurredAt: deps.clock(),
    correlationId: data.orderId,
  })
}
