import type { EventData } from '@twtix/common'
import type { orders } from '../db/schema.ts'

/** A copy of a new order: who may pay for it, how much, until when (written once per order). */
export function orderCopy(data: EventData<'order.created'>): typeof orders.$inferInsert {
  return {
    id: data.id,
    userId: data.userId,
    price: data.ticket.price,
    status: 'created',
    expiresAt: new Date(data.expiresAt),
    version: data.version,
    total: data.total ?? null,
    buyerFee: data.buyerFee ?? null,
    sellerFee: data.sellerFee ?? null,
    sellerId: data.sellerId ?? null,
    eventId: data.eventId ?? null,
  }
}
