import { manualClock } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { outbox } from './db/schema.ts'
import { sweep } from './sweep.ts'
import { addDue, dueRows, expiredOrderIds, ids, setupExpiration, testDeps } from './test-support.ts'

const count = (list: string[], id: string) => list.filter((x) => x === id).length

const database = await setupExpiration()

describe('sweep', () => {
  it('announces each due order once and leaves the others until they are due', async () => {
    const clock = manualClock(new Date('2026-03-01T00:00:00Z'))
    const deps = testDeps(database.db, clock)
    const [soon, later] = ids(2) as [string, string]
    await addDue(database.db, [
      { orderId: soon, dueAt: new Date(clock().getTime() + 60_000) },
      { orderId: later, dueAt: new Date(clock().getTime() + 120_000) },
    ])

    await sweep(deps)
    let expired = await expiredOrderIds(database.db)
    expect(count(expired, soon) + count(expired, later)).toBe(0)

    clock.advance(60_000) // exactly due: dueAt <= now
    await sweep(deps)
    await sweep(deps)
    expired = await expiredOrderIds(database.db)
    expect(count(expired, soon)).toBe(1)
    expect(count(expired, later)).toBe(0)
    expect(await dueRows(database.db, [soon])).toEqual([])
    expect(await dueRows(database.db, [later])).toHaveLength(1)

    clock.advance(60_000)
    await sweep(deps)
    expired = await expiredOrderIds(database.db)
    expect(count(expired, soon)).toBe(1)
    expect(count(expired, later)).toBe(1)
    expect(await dueRows(database.db, [later])).toEqual([])
  })

  it('writes an expiration.completed envelope keyed by the order and wakes the relay', async () => {
    const clock = manualClock(new Date('2026-04-01T00:00:00Z'))
    const deps = testDeps(database.db, clock)
    const [orderId] = ids(1) as [string]
    await addDue(database.db, [{ orderId, dueAt: clock() }])
    const wakesBefore = deps.wakes
    await sweep(deps)
    const [row] = await database.db.select().from(outbox).where(eq(outbox.key, orderId))
    expect(row).toMatchObject({ type: 'expiration.completed', topic: 'expiration', sentAt: null })
    expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({
      id: row?.eventId,
      type: 'expiration.completed',
      source: 'expiration',
      occurredAt: clock().toISOString(),
      data: { orderId },
    })
    expect(deps.wakes).toBeGreaterThan(wakesBefore)
  })

  it('sweeps a backlog larger than one batch in one call', async () => {
    // Earlier than every other test's rows, so this sweep sees only its own.
    const clock = manualClock(new Date('2000-01-01T00:00:00Z'))
    const deps = testDeps(database.db, clock, 7)
    const orderIds = ids(30)
    await addDue(
      database.db,
      orderIds.map((orderId, i) => ({ orderId, dueAt: new Date(clock().getTime() - i * 1000) })),
    )
    const notYet = crypto.randomUUID()
    await addDue(database.db, [{ orderId: notYet, dueAt: new Date(clock().getTime() + 1000) }])

    expect(await sweep(deps)).toBe(30)
    const expired = await expiredOrderIds(database.db)
    for (const id of orderIds) expect(count(expired, id)).toBe(1)
    expect(count(expired, notYet)).toBe(0)
    expect(await dueRows(database.db, orderIds)).toEqual([])
    // Oldest first: the batch order follows dueAt.
    const mine = expired.filter((id) => orderIds.includes(id))
    expect(mine).toEqual([...orderIds].reverse())
    expect(await sweep(deps)).toBe(0)
  })
})
