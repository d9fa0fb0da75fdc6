import type { EventData, Tx } from '@twtix/common'
import { orders } from '../db/schema.ts'

/** Keeps a copy of a new order: who may pay for it, how much, until when. */
export async function recordOrderCreated(tx: Tx, data: EventData<'order.created'>) {
  await tx.db
    .insert(orders)
    .values({
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
    })
    .onConflictDoNothing()
}
