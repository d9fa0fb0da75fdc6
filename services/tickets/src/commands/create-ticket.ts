import { createEnvelope, enqueue, type Tx } from '@twtix/common'
import { outbox, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Ticket, ticketEventData, toTicket } from '../views.ts'

export type CreateTicketInput = { userId: string; title: string; price: number }

/** Lists a ticket for sale at version 0 and announces it with ticket.created. */
export async function createTicket(
  deps: Deps,
  tx: Tx,
  input: CreateTicketInput,
  meta: { correlationId?: string } = {},
): Promise<Ticket> {
  const now = deps.clock()
  const [created] = await tx.db
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
      occurredAt: now,
      correlationId: meta.correlationId,
    }),
  )
  deps.logger.info('ticket created', { ticketId: created.id, userId: created.userId })
  return toTicket(created)
}
