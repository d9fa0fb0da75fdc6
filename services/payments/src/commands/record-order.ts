import type { EventData } from '@twtix/common'
import { orders } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

/** Keeps a copy of a new order: who may pay for it, how much, until when. */
export async function recordOrder(deps: Pick<Deps, 'db'>, data: EventData<'order.created'>) {
  await deps.db
    .insert(orders)
    .values({
      id: data.id,
      userId: data.userId,
      price: data.ticket.price,
      status: 'created',
      expiresAt: new Date(data.expiresAt),
      version: data.version,
    })
    .onConflictDoNothing()
}
