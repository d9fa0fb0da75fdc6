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
 * when sales stop, `eventEndsAt` when claims and payouts are due.
 */
export function ticketEventData(
  row: TicketRow,
  event?: Pick<EventRow, 'startsAt' | 'endsAt'>,
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
    eventEndsAt: event?.endsAt ? event.endsAt.toISOString() : null,
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
  /** `finished` once it has ended (derived: nothing is written when it ends). */
  status: EventStatus
  version: number
  createdAt: string
}

/** Whether the event is over at `now`: its end, or its start when its end is unknown. */
export function hasFinished(row: Pick<EventRow, 'startsAt' | 'endsAt'>, now: Date): boolean {
  return (row.endsAt ?? row.startsAt).getTime() <= now.getTime()
}

export function toEvent(row: EventRow, now?: Date): Event {
  const finished = now !== undefined && row.status !== 'cancelled' && hasFinished(row, now)
  return {
    id: row.id,
    name: row.name,
    venue: row.venue,
    city: row.city,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt ? row.endsAt.toISOString() : null,
    status: finished ? 'finished' : row.status,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
  }
}

/** The event's whole state as event.created / event.updated carry it (the stored status). */
export function eventStateData(row: EventRow): EventData<'event.updated'> {
  return {
    id: row.id,
    name: row.name,
    venue: row.venue,
    city: row.city,
    status: row.status,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt ? row.endsAt.toISOString() : null,
    version: row.version,
  }
}
