import { createEnvelope, enqueue, RequestValidationError, type Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { type EventRow, events, outbox, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { isOnSale } from '../queries/on-sale.ts'
import { type Ticket, ticketEventData, toTicket } from '../views.ts'
import { checkPriceCap } from './price-cap.ts'

export type CreateTicketInput = {
  userId: string
  /** Optional for a ticket of an event: the event's name is used. */
  title?: string
  price: number
  eventId?: string
  faceValue?: number
  section?: string
  row?: string
  seat?: string
}

/** The event a new listing is for, locked against a change of status while it is listed. */
async function eventOnSale(deps: Pick<Deps, 'clock'>, tx: Tx, eventId: string) {
  const [event] = await tx.db.select().from(events).where(eq(events.id, eventId)).for('share')
  if (!event) {
    throw new RequestValidationError([{ message: 'Event not found', field: 'eventId' }])
  }
  if (!isOnSale(event, deps.clock())) {
    throw new RequestValidationError([
      { message: 'Sales for this event have ended', field: 'eventId' },
    ])
  }
  return event
}

/**
 * Lists a ticket for sale at version 0 and announces it with ticket.created. A ticket of an
 * event needs its face value, and its price is capped by it; a listing without an event (the
 * original `{title, price}` API) may give a face value, which then caps its price as well.
 */
export async function createTicket(
  deps: Deps,
  tx: Tx,
  input: CreateTicketInput,
  meta: { correlationId?: string } = {},
): Promise<Ticket> {
  let event: EventRow | undefined
  if (input.eventId !== undefined) {
    event = await eventOnSale(deps, tx, input.eventId)
    if (input.faceValue === undefined) {
      throw new RequestValidationError([
        { message: 'faceValue is required for a ticket of an event', field: 'faceValue' },
      ])
    }
  }
  const title = input.title ?? event?.name
  if (title === undefined) {
    throw new RequestValidationError([{ message: 'title is required', field: 'title' }])
  }
  checkPriceCap(input.price, input.faceValue ?? null, deps.config.RESALE_PRICE_CAP)
  const now = deps.clock()
  const [created] = await tx.db
    .insert(tickets)
    .values({
      id: crypto.randomUUID(),
      title,
      price: input.price,
      userId: input.userId,
      eventId: event?.id ?? null,
      faceValue: input.faceValue ?? null,
      section: input.section ?? null,
      row: input.row ?? null,
      seat: input.seat ?? null,
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
    createEnvelope('ticket.created', ticketEventData(created, event), {
      occurredAt: now,
      correlationId: meta.correlationId,
    }),
  )
  deps.logger.info('ticket created', { ticketId: created.id, userId: created.userId })
  return toTicket(created)
}
