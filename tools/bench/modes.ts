/** How much each scenario does: the full run, and `--short` for CI (the whole run ≤ 3 minutes). */
export type Mode = {
  name: 'full' | 'short'
  /**
   * ORDER_HOLD_SECONDS of the bench's stack: no order of the orders scenario may expire before
   * its events are all handled (the CPU an order costs), yet the expiry scenario waits this long.
   */
  holdSeconds: number
  warmupSeconds: number
  listConnections: number
  listSeconds: number
  orderConnections: number
  orderWarmup: number
  orderTickets: number
  orderMaxSeconds: number
  sqlSeconds: number
  sqlTickets: number
  flashBuyers: number
  flashRounds: number
  /** Refusals sent one at a time, without the crowd, for comparison. */
  flashAlone: number
  roundTrips: number
  propagationSamples: number
  /**
   * Orders placed and seen before the samples, not counted: they warm what a running marketplace
   * has warm (each service's producer connected, the broker's and the services' compiled code).
   */
  propagationWarmup: number
  kafkaSamples: number
  purchaseFlows: number
  purchaseConcurrency: number
  expirySamples: number
  expirySpreadSeconds: number
  expiryPollMs: number
}

export const full: Mode = {
  name: 'full',
  holdSeconds: 60,
  warmupSeconds: 2,
  listConnections: 16,
  listSeconds: 10,
  orderConnections: 16,
  orderWarmup: 300,
  orderTickets: 6000,
  orderMaxSeconds: 20,
  sqlSeconds: 5,
  sqlTickets: 60_000,
  flashBuyers: 50,
  flashRounds: 20,
  flashAlone: 200,
  roundTrips: 2000,
  propagationSamples: 200,
  propagationWarmup: 10,
  kafkaSamples: 100,
  purchaseFlows: 40,
  purchaseConcurrency: 4,
  expirySamples: 60,
  expirySpreadSeconds: 20,
  expiryPollMs: 25,
}

export const short: Mode = {
  name: 'short',
  holdSeconds: 20,
  warmupSeconds: 1,
  listConnections: 16,
  listSeconds: 3,
  orderConnections: 16,
  orderWarmup: 100,
  orderTickets: 1000,
  orderMaxSeconds: 5,
  sqlSeconds: 2,
  sqlTickets: 20_000,
  flashBuyers: 20,
  flashRounds: 5,
  flashAlone: 50,
  roundTrips: 300,
  propagationSamples: 20,
  propagationWarmup: 3,
  kafkaSamples: 30,
  purchaseFlows: 8,
  purchaseConcurrency: 4,
  expirySamples: 12,
  expirySpreadSeconds: 4,
  expiryPollMs: 25,
}

/** Tickets set-up lists: one for each use, and the rest of the listing. */
export function ticketsNeeded(m: Mode): number {
  return (
    m.orderWarmup +
    m.orderTickets +
    m.flashRounds +
    2 +
    m.propagationWarmup +
    m.propagationSamples +
    m.purchaseFlows +
    m.expirySamples
  )
}
