import { inTransaction } from '@twtix/common'
import { gate } from '@twtix/common/testing'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { idempotencyKeys } from '../db/schema.ts'
import { blockedOrDone, json, seedTicket, setupOrders } from '../test-support.ts'
import { ALREADY_RESERVED, createOrder } from './create-order.ts'

// An order held uncommitted while another request runs needs two connections: PGlite has one,
// so this runs on a server only.
describe.skipIf(!process.env.DATABASE_URL)(
  'an order for a ticket another is being placed on',
  () => {
    const ready = setupOrders({ ORDER_COOLDOWN_SECONDS: '0', ORDERS_OPEN_PER_USER: '2' })

    it('is refused at once, without waiting for it, and its key is kept for a later try', async () => {
      const ctx = await ready
      const ticket = await seedTicket(ctx)
      const [first, second] = [await ctx.auth.user(), await ctx.auth.user()]
      const commit = gate()
      const placed = gate()
      const firstOrder = inTransaction(ctx.deps, async (tx) => {
        const order = await createOrder(ctx.deps, tx, {
          userId: first.user.id,
          ticketId: ticket.id,
        })
        placed.open()
        await commit.opened
        return order
      })
      await placed.opened
      const key = { 'Idempotency-Key': 'while-in-flight' }
      const send = () =>
        ctx.app.request('/api/orders', json(second.headers, { ticketId: ticket.id }, key))

      const lost = Promise.resolve(send())

      expect(await blockedOrDone(ctx.db, lost)).toBe('done')
      commit.open()
      const res = await lost
      expect(res.status).toBe(400)
      expect((await res.json()).errors[0].message).toBe(ALREADY_RESERVED)
      const keys = await ctx.db
        .select()
        .from(idempotencyKeys)
        .where(eq(idempotencyKeys.userId, second.user.id))
      expect(keys).toEqual([])

      const { id } = await firstOrder
      const cancelled = await ctx.app.request(`/api/orders/${id}`, { ...first, method: 'DELETE' })
      expect(cancelled.status).toBe(204)
      const retry = await send()
      expect(retry.status).toBe(201)
      expect(retry.headers.get('Idempotent-Replayed')).toBeNull()
    })
    it('is not refused for an order in flight that something else refuses', async () => {
      const ctx = await ready
      const [limited, buyer] = [await ctx.auth.user(), await ctx.auth.user()]
      const order = (who: typeof buyer, ticketId: string, key: string) =>
        Promise.resolve(
          ctx.app.request(
            '/api/orders',
            json(who.headers, { ticketId }, { 'Idempotency-Key': key }),
          ),
        )
      for (let i = 0; i < 2; i++) {
        expect((await order(limited, (await seedTicket(ctx)).id, `open-${i}`)).status).toBe(201)
      }
      const ticket = await seedTicket(ctx)
      // The limited buyer's request stays in flight, its key's claim waiting on this transaction.
      const release = gate()
      const holding = gate()
      const blocker = inTransaction(ctx.deps, async (tx) => {
        await tx.db.insert(idempotencyKeys).values({
          userId: limited.user.id,
          key: 'at-limit',
          requestHash: 'held by the test',
          createdAt: ctx.clock(),
        })
        holding.open()
        await release.opened
        throw new Error('roll back')
      }).catch(() => {})
      await holding.opened
      const refused = order(limited, ticket.id, 'at-limit')
      expect(await blockedOrDone(ctx.db, refused)).toBe('blocked')

      const won = await order(buyer, ticket.id, 'free')

      release.open()
      await blocker
      expect(won.status).toBe(201)
      expect((await refused).status).toBe(429)
    })
  },
)
