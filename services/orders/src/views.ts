import type { Claim, Order, Ticket } from './db/schema.ts'

export type TicketSummary = Pick<Ticket, 'id' | 'title' | 'price'>

/** The order as its owner sees it: the ticket embedded and why a payment failed, if it did. */
export type OrderView = {
  id: string
  userId: string
  status: Order['status']
  expiresAt: string
  ticket: TicketSummary
  version: number
  createdAt: string
  paymentError: { message: string; at: string } | null
  refundedAt: string | null
  /** Whole yen: the ticket's price, the buyer's fee, and what the buyer is charged. */
  price: number
  buyerFee: number
  total: number
  /** The order's latest claim (buyer guarantee), if the buyer opened one. */
  claim: OrderClaim | null
}

/** A claim as its order shows it. */
export type OrderClaim = Pick<Claim, 'id' | 'reason' | 'status' | 'outcome'> & {
  openedAt: string
}

/** A claim as the admins' routes show it. */
export type ClaimView = {
  id: string
  orderId: string
  userId: string
  ticketId: string
  reason: Claim['reason']
  details: string | null
  status: Claim['status']
  outcome: Claim['outcome']
  note: string | null
  openedAt: string
  resolvedAt: string | null
}

export function claimView(claim: Claim): ClaimView {
  return {
    id: claim.id,
    orderId: claim.orderId,
    userId: claim.userId,
    ticketId: claim.ticketId,
    reason: claim.reason,
    details: claim.details,
    status: claim.status,
    outcome: claim.outcome,
    note: claim.note,
    openedAt: claim.openedAt.toISOString(),
    resolvedAt: claim.resolvedAt?.toISOString() ?? null,
  }
}

export function orderView(
  order: Order,
  ticket: TicketSummary,
  claim: OrderClaim | null = null,
): OrderView {
  return {
    id: order.id,
    userId: order.userId,
    status: order.status,
    expiresAt: order.expiresAt.toISOString(),
    // What the order pinned when it was placed; an order older than that shows the replica's.
    ticket: {
      id: ticket.id,
      title: order.title ?? ticket.title,
      price: order.price ?? ticket.price,
    },
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    paymentError:
      order.paymentError === null
        ? null
        : {
            message: order.paymentError,
            at: (order.paymentErrorAt ?? order.createdAt).toISOString(),
          },
    refundedAt: order.refundedAt?.toISOString() ?? null,
    ...amountsOf(order, ticket),
    claim,
  }
}

/** An order placed before fees were kept had none: it is charged the price. */
function amountsOf(order: Order, ticket: TicketSummary) {
  const price = order.price ?? ticket.price
  return { price, buyerFee: order.buyerFee ?? 0, total: order.total ?? price }
}
