import {
  type AtOnceOutcome,
  builtOncePer,
  type Db,
  type Envelope,
  insertRow,
  isUniqueViolation,
  notRecorded,
  outboxInsert,
  outboxRow,
  type ProcessedEventsTable,
  recordFrom,
  rowsOf,
  rowValues,
  statement,
} from '@twtix/common'
import { eq, sql } from 'drizzle-orm'
import { events, outbox, ticketOrders, tickets } from '../db/schema.ts'
import { orderNoteRow } from '../delivery/record-order.ts'
import type { Deps } from '../deps.ts'
import type { LockedTicket } from './change-ticket.ts'
import { ticketChange } from './change-ticket.ts'
import { logReservation, reservation, reserveInput, reserving } from './reserve-ticket.ts'

const p = (name: string) => sql.placeholder(name)
const column = (c: { name: string }) => sql.identifier(c.name)

// The ticket with its event's dates, unlocked: built once per database.
const readTicket = builtOncePer((db: Db) =>
  db
    .select({ ticket: tickets, startsAt: events.startsAt, endsAt: events.endsAt })
    .from(tickets)
    .leftJoin(events, eq(events.id, tickets.eventId))
    .where(eq(tickets.id, p('ticketId')))
    .prepare('tickets_reserve_read'),
)

/**
 * The reservation, its event, the buyer's note and the event's record, all written only if the
 * ticket is still at the version read and the event was not recorded: a change since the read
 * (its version moved on) writes nothing. The record is written from the update, never beside
 * it, and without ON CONFLICT: a record committed since the read fails the whole statement.
 * Placeholders: the note's row by its keys (`insertRow`), the event by `outboxRow`'s keys, and
 * the ticket's own (`ticketId`, `orderId` and `updatedAt` are the note's too).
 */
const reserveStatement = builtOncePer((processed: ProcessedEventsTable) =>
  statement(sql`
    with updated as (
      update ${tickets} set
        ${column(tickets.status)} = 'reserved',
        ${column(tickets.orderId)} = ${p('orderId')}::uuid,
        ${column(tickets.lastOrderAt)} = ${p('lastOrderAt')}::timestamptz,
        ${column(tickets.version)} = ${p('readVersion')}::int + 1,
        ${column(tickets.updatedAt)} = ${p('updatedAt')}::timestamptz
      where ${tickets.id} = ${p('ticketId')}::uuid
        and ${tickets.version} = ${p('readVersion')}::int
        and ${notRecorded(processed)}
      returning ${tickets.id}),
    recorded as (${recordFrom(processed, sql`updated`)} returning 1),
    noted as (${insertRow(ticketOrders)(sql`recorded`)}),
    announced as (${outboxInsert(outbox, sql`updated`)})
    select count(*)::int as reserved from updated`),
)

/**
 * order.created for a message that comes alone, without a transaction: the ticket read, then,
 * when the order takes it, one statement (two round trips where the transaction took five). Any
 * other outcome (an unknown ticket, a duplicate, a sold or stale order), a change to the ticket
 * since the read or an event recorded meanwhile writes nothing here: the consumer then applies
 * the event in a transaction, which decides again.
 */
export async function reserveTicketAtOnce(
  deps: Pick<Deps, 'clock' | 'logger' | 'relay'>,
  db: Db,
  processed: ProcessedEventsTable,
  group: string,
  created: Envelope<'order.created'>,
): Promise<AtOnceOutcome> {
  const input = reserveInput(created)
  const [read] = await readTicket(db).execute({ ticketId: input.ticketId })
  if (!read) return 'transaction'
  const current: LockedTicket = {
    ...read.ticket,
    eventDates: read.startsAt ? { startsAt: read.startsAt, endsAt: read.endsAt } : undefined,
  }
  if (reservation(current, input) !== 'reserved') return 'transaction'
  const { set, event } = ticketChange(deps, current, reserving(input), {
    correlationId: created.correlationId ?? created.id,
  })
  let reserved: boolean
  try {
    const [row] = rowsOf<{ reserved: number }>(
      await reserveStatement(processed)(db, {
        ...rowValues(
          ticketOrders,
          orderNoteRow({ ...input, buyerId: created.data.userId, at: set.updatedAt }),
        ),
        ...outboxRow(event),
        lastOrderAt: input.orderCreatedAt.toISOString(),
        readVersion: current.version,
        recordedFor: group,
        recordedEvent: created.id,
      }),
    )
    reserved = row?.reserved === 1
  } catch (err) {
    // Recorded by another member of the group since the read: the transaction tells.
    if (isUniqueViolation(err)) return 'transaction'
    throw err
  }
  if (!reserved) return 'transaction'
  logReservation(deps, current, input, 'reserved')
  deps.relay?.wake()
  return 'applied'
}
