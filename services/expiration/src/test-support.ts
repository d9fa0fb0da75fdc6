import { type Clock, createEnvelope, type Db, memoryLogger } from '@twtix/common'
import { createTestDatabase } from '@twtix/common/testing'
import { eq, inArray } from 'drizzle-orm'
import { afterAll } from 'vitest'
import { due, outbox } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { migrationsFolder } from './service.ts'

/** One database per test file, closed after it; each test makes its own due rows. */
export async function setupExpiration() {
  const database = await createTestDatabase({ service: 'expiration', migrationsFolder })
  afterAll(() => database.close())
  return database
}

type TestDeps = Deps & { wakes: number; logger: ReturnType<typeof memoryLogger> }

/** Deps for one test: its own log and a relay that only counts its wake-ups. */
export function testDeps(db: Db, clock: Clock, batchSize = 100): TestDeps {
  const deps: TestDeps = {
    db,
    clock,
    logger: memoryLogger(),
    config: { SWEEP_BATCH_SIZE: batchSize },
    wakes: 0,
    relay: {
      wake() {
        deps.wakes++
      },
    },
  }
  return deps
}

export function orderCreated(orderId: string, expiresAt: Date) {
  return createEnvelope(
    'order.created',
    {
      id: orderId,
      userId: crypto.randomUUID(),
      status: 'created',
      expiresAt: expiresAt.toISOString(),
      version: 0,
      ticket: { id: crypto.randomUUID(), title: 'A concert', price: 5000 },
    },
    { occurredAt: expiresAt },
  )
}

export function orderEnded<T extends 'order.cancelled' | 'order.completed'>(
  type: T,
  orderId: string,
) {
  return createEnvelope(type, { id: orderId, version: 1, ticket: { id: crypto.randomUUID() } })
}

/** Inserts due rows directly, as `order.created` would. */
export async function addDue(db: Db, rows: { orderId: string; dueAt: Date }[]) {
  await db.insert(due).values(rows)
}

export async function dueRows(db: Db, orderIds: string[]) {
  return db.select().from(due).where(inArray(due.orderId, orderIds))
}

/** The order ids of the `expiration.completed` events in the outbox, in outbox order. */
export async function expiredOrderIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ payload: outbox.payload })
    .from(outbox)
    .where(eq(outbox.type, 'expiration.completed'))
    .orderBy(outbox.id)
  return rows.map((r) => (JSON.parse(r.payload) as { data: { orderId: string } }).data.orderId)
}

export const ids = (n: number): string[] => Array.from({ length: n }, () => crypto.randomUUID())
