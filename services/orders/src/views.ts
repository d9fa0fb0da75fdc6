import type { Order, Ticket } from './db/schema.ts'

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
}

export function orderView(order: Order, ticket: TicketSummary): OrderView {
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
  }
}
