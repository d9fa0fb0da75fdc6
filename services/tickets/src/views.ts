import type { EventData, TicketStatus } from '@twtix/common'
import type { EventRow, EventStatus, TicketRow } from './db/schema.ts'

/** A ticket as every route returns it. */
export type Ticket = {
  id: string
  title: string
  price: number
  currency: 'JPY'
  userId: string
  status: TicketStatus
  orderId: string | null
  version: number
  createdAt: string
  /** Null for a listing made without an event. */
  eventId: string | null
  faceValue: number | null
  section: string | null
  row: string | null
  seat: string | null
  /** Whether the seller has added what the buyer needs to get in; never the details themselves. */
  delivery: 'pending' | 'ready'
}

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    title: row.title,
    price: row.price,
    currency: 'JPY',
    userId: row.userId,
    status: row.status,
    orderId: row.orderId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    eventId: row.eventId,
    faceValue: row.faceValue,
    section: row.section,
    row: row.row,
    seat: row.seat,
    delivery: row.hasDelivery ? 'ready' : 'pending',
  }
}

/**
 * The ticket's state as ticket.created / ticket.updated carry it; `eventStartsAt` tells orders
 * when sales stop.
 */
export function ticketEventData(
  row: TicketRow,
  event?: Pick<EventRow, 'startsAt'>,
): EventData<'ticket.updated'> {
  return {
    id: row.id,
    title: row.title,
    price: row.price,
    userId: row.userId,
    status: row.status,
    orderId: row.orderId,
    version: row.version,
    eventId: row.eventId,
    faceValue: row.faceValue,
    eventStartsAt: event ? event.startsAt.toISOString() : null,
  }
}

/** An event as every route returns it. */
export type Event = {
  id: string
  name: string
  venue: string
  city: string
  startsAt: string
  endsAt: string | null
  status: EventStatus
  createdAt: string
}

export function toEvent(row: EventRow): Event {
  return {
    id: row.id,
    name: row.name,
    venue: row.venue,
    city: row.city,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt ? row.endsAt.toISOString() : null,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
  }
}
