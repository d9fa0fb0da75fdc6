import type { EventData, TicketStatus } from '@twtix/common'
import type { TicketRow } from './db/schema.ts'

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
  }
}

/** The ticket's state as ticket.created / ticket.updated carry it. */
export function ticketEventData(row: TicketRow): EventData<'ticket.updated'> {
  return {
    id: row.id,
    title: row.title,
    price: row.price,
    userId: row.userId,
    status: row.status,
    orderId: row.orderId,
    version: row.version,
  }
}
