import type { Db } from '@twtix/common'
import { and, eq, gt, inArray, sql } from 'drizzle-orm'
import { eventCancelled } from '../commands/apply-event.ts'
import { idempotencyKeys, orders, tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

export type OrderingInput = { userId: string; ticketId: string }

const p = (name: string) => sql.placeholder(name)

/** The statement, built once per database, limits and whether a key is looked up. */
function prepareOrderingContext(db: Db, limit: number, cooldownMs: number, keyed: boolean) {
  const openOfBuyer = and(
    eq(orders.userId, p('userId')),
    eq(orders.status, 'created'),
    gt(orders.expiresAt, p('now')),
  )
  // The limit-th unpaid order exists: no need to count them all.
  const atLimit = db
    .select({ one: sql`1` })
    .from(orders)
    .where(openOfBuyer)
    .offset(limit - 1)
    .limit(1)
  const firstToEnd = db
    .select({ at: sql`min(${orders.expiresAt})` })
    .from(orders)
    .where(openOfBuyer)
  const lastReleased =
    cooldownMs === 0
      ? sql`null`
      : sql`(${db
          .select({ at: sql`max(${orders.endedAt})` })
          .from(orders)
          .where(
            and(
              eq(orders.userId, p('userId')),
              eq(orders.ticketId, p('ticketId')),
              eq(orders.status, 'cancelled'),
              gt(orders.endedAt, p('cooledSince')),
            ),
          )})`
  const held = db
    .select({ one: sql`1` })
    .from(orders)
    .where(and(eq(orders.ticketId, p('ticketId')), inArray(orders.status, ['created', 'complete'])))
  const usedKey = keyed
    ? sql`exists (${db
        .select({ one: sql`1` })
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, p('userId')), eq(idempotencyKeys.key, p('key'))))})`
    : sql`false`
  return db
    .select({
      ticket: tickets,
      held: sql<boolean>`exists (${held})`.mapWith(Boolean),
      openUntil: sql<Date | null>`case when exists (${atLimit}) then (${firstToEnd}) end`.mapWith(
        orders.expiresAt,
      ),
      releasedAt: sql<Date | null>`${lastReleased}`.mapWith(orders.endedAt),
      keyed: sql<boolean>`${usedKey}`.mapWith(Boolean),
      eventCancelled: eventCancelled(tickets.eventId).mapWith(Boolean),
    })
    .from(tickets)
    .where(eq(tickets.id, p('ticketId')))
    .prepare(`orders_ordering_context_${keyed ? 'keyed' : 'unkeyed'}`)
}

type Prepared = ReturnType<typeof prepareOrderingContext>

// Built once per database (and transaction), not per order: drizzle's query building was a fifth
// of the orders process's CPU. The variant depends on config, which tests vary per database.
const statements = new WeakMap<Db, Map<string, Prepared>>()

function statementFor(db: Db, limit: number, cooldownMs: number, keyed: boolean) {
  const ofDb = statements.get(db) ?? new Map<string, Prepared>()
  statements.set(db, ofDb)
  const variant = `${limit}/${cooldownMs}/${keyed}`
  const statement = ofDb.get(variant) ?? prepareOrderingContext(db, limit, cooldownMs, keyed)
  ofDb.set(variant, statement)
  return statement
}

/**
 * What deciding an order needs to read, in one statement: the ticket, whether an active order
 * already holds it, whether the buyer holds their limit of unpaid orders (and the earliest of them
 * to end), when the buyer's last order of this ticket was cancelled within the cool-down, whether
 * the buyer already used `idempotencyKey`, and whether the ticket's event was cancelled. No row
 * when the ticket is unknown.
 */
export async function orderingContext(
  db: Db,
  deps: Pick<Deps, 'config'>,
  input: OrderingInput,
  now: Date,
  idempotencyKey?: string,
) {
  const cooldownMs = deps.config.ORDER_COOLDOWN_SECONDS * 1000
  const keyed = idempotencyKey !== undefined
  const statement = statementFor(db, deps.config.ORDERS_OPEN_PER_USER, cooldownMs, keyed)
  const [row] = await statement.execute({
    userId: input.userId,
    ticketId: input.ticketId,
    // Placeholders skip the columns' encoders: dates go as the text they would have become.
    now: now.toISOString(),
    cooledSince: new Date(now.getTime() - cooldownMs).toISOString(),
    key: idempotencyKey,
  })
  return row
}

export type OrderingContext = NonNullable<Awaited<ReturnType<typeof orderingContext>>>
