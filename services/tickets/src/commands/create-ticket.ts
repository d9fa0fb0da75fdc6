import { createEnvelope, enqueue, transact } from '@twtix/common'
import { outbox, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Ticket, ticketEventData, toTicket } from '../ticket.ts'

export type CreateTicketInput = { userId: string; title: string; price: number }

/** Lists a ticket for sale at version 0 and announces it with ticket.created. */
export async function createTicket(
  deps: Deps,
  input: CreateTicketInput,
  meta: { correlationId?: string } = {},
): Promise<Ticket> {
  const now = deps.clock()
  const row = await transact(deps, async (tx) => {
    const [created] = await tx
      .insert(tickets)
      .values({
        id: crypto.randomUUID(),
        title: input.title,
        price: input.price,
        userId: input.userId,
        status: 'available',
        version: 0,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
    if (!created) throw new Error('ticket insert returned no row')
    await enqueue(
      tx,
      outbox,
      createEnvelope('ticket.created', ticketEventData(created), {
        source: 'tickets',
        occurredAt: now,
        correlationId: meta.correlationId,
      }),
    )
    return created
  })
  deps.logger.info('ticket created', { ticketId: row.id, userId: row.userId })
  return toTicket(row)
}
