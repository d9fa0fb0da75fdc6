import { TicketStatus } from '@twtix/common'
import * as v from 'valibot'

const Id = v.pipe(v.string(), v.uuid())
const Timestamp = v.pipe(v.string(), v.isoTimestamp())

/** A ticket as every tickets route returns it (see `toTicket`). */
export const TicketBody = v.pipe(
  v.object({
    id: Id,
    title: v.string(),
    price: v.pipe(v.number(), v.integer(), v.description('Whole yen, 50 to 9,999,999')),
    currency: v.literal('JPY'),
    userId: v.pipe(Id, v.description('The seller')),
    status: v.pipe(
      TicketStatus,
      v.description('`reserved` while an order holds it; `sold` once paid for'),
    ),
    orderId: v.pipe(
      v.nullable(Id),
      v.description('The order holding or having bought the ticket, if any'),
    ),
    version: v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.description('Goes up by one on every change'),
    ),
    createdAt: Timestamp,
    eventId: v.pipe(
      v.nullable(Id),
      v.description('The event; null for a listing made without one'),
    ),
    faceValue: v.pipe(
      v.nullable(v.pipe(v.number(), v.integer())),
      v.description('The price printed on the ticket (whole yen); caps the price'),
    ),
    section: v.nullable(v.string()),
    row: v.nullable(v.string()),
    seat: v.nullable(v.string()),
    delivery: v.pipe(
      v.picklist(['pending', 'ready']),
      v.description(
        'Whether the seller has added the delivery details (shown only to the buyer once paid)',
      ),
    ),
  }),
  v.metadata({ ref: 'Ticket' }),
)

export const TicketListBody = v.pipe(
  v.array(TicketBody),
  v.description('Unsold tickets, newest first'),
)

export const examples = {
  ticket: {
    id: 'c0ffee00-1234-4abc-8def-0123456789ab',
    title: 'Tokyo Dome, row 3',
    price: 8000,
    currency: 'JPY',
    userId: '5b1f8c2e-3d4a-4e6f-9a7b-1c2d3e4f5a6b',
    status: 'available',
    orderId: null,
    version: 0,
    createdAt: '2025-11-25T09:30:00.000Z',
    eventId: '7d2e4c1a-5b6f-4a8e-9c0d-1e2f3a4b5c6d',
    faceValue: 9800,
    section: 'Arena A',
    row: '3',
    seat: '12',
    delivery: 'pending',
  },
  cursor:
    'WyIyMDI1LTExLTI1VDA5OjMwOjAwLjAwMFoiLCJjMGZmZWUwMC0xMjM0LTRhYmMtOGRlZi0wMTIzNDU2Nzg5YWIiXQ',
}
