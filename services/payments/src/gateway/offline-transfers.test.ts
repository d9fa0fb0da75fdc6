import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { payDuePayouts } from '../commands/pay-due-payouts.ts'
import { offlineTransfers } from '../db/schema.ts'
import { payoutsSupport } from '../payouts-support.ts'
import { countingGateway, setupPayments } from '../test-support.ts'
import { createOfflineGateway } from './offline.ts'
import { databaseTransfers } from './offline-transfers.ts'
import type { TransferInput } from './port.ts'

const t = await setupPayments()
const s = payoutsSupport(t)

const transferOf = (payoutId: string, key = `payout-${payoutId}`): TransferInput => ({
  amount: 7_600,
  currency: 'jpy',
  destination: 'acct_offline_seller',
  sourceTransaction: 'pi_offline_charge',
  transferGroup: 'order_x',
  idempotencyKey: key,
  metadata: { orderId: crypto.randomUUID(), payoutId },
})

describe('offline transfers in the payments database', () => {
  it('keeps one transfer per key across gateways (replicas, or a process started after a kill)', async () => {
    const payoutId = crypto.randomUUID()
    const book = databaseTransfers(t.db, t.clock)
    const first = await createOfflineGateway({ transfers: book }).transfer(transferOf(payoutId))
    const again = await createOfflineGateway({ transfers: book }).transfer(transferOf(payoutId))
    expect(first.id).toMatch(/^tr_offline_/)
    expect(again).toEqual(first)
    const rows = await t.db
      .select()
      .from(offlineTransfers)
      .where(eq(offlineTransfers.payoutId, payoutId))
    expect(rows).toEqual([
      {
        idempotencyKey: `payout-${payoutId}`,
        id: first.id,
        payoutId,
        amount: 7_600,
        destination: 'acct_offline_seller',
        createdAt: t.clock(),
      },
    ])
  })

  it('makes a second transfer for another key, even of the same payout (what the checker counts)', async () => {
    const payoutId = crypto.randomUUID()
    const gateway = createOfflineGateway({ transfers: databaseTransfers(t.db, t.clock) })
    const a = await gateway.transfer(transferOf(payoutId))
    const b = await gateway.transfer(transferOf(payoutId, `payout-${payoutId}-retry`))
    expect(b.id).not.toBe(a.id)
    const rows = await t.db
      .select()
      .from(offlineTransfers)
      .where(eq(offlineTransfers.payoutId, payoutId))
    expect(rows).toHaveLength(2)
  })

  // Only on a pool: PGlite's one connection is the worker's until it commits (README: Money).
  it.runIf(t.database.kind === 'postgres')(
    'one transfer when a replica dies between the transfer and its commit and another pays',
    async () => {
      const { user } = await s.seller()
      const order = await s.paidOrder(user.id, null)
      const payout = await s.payoutOf(order.id)
      t.clock.set(payout.dueAt)
      const replica = () =>
        countingGateway(createOfflineGateway({ transfers: databaseTransfers(t.db, t.clock) }))
      const first = replica()
      const dying = {
        ...first,
        transfer: async (input: TransferInput) => {
          await first.transfer(input)
          throw new Error('SIGKILL after the transfer')
        },
      }
      expect((await payDuePayouts({ ...t.deps, gateway: dying })).failed).toBeGreaterThanOrEqual(1)
      t.clock.set(new Date(payout.dueAt.getTime() + 1000))
      const second = replica()
      await payDuePayouts({ ...t.deps, gateway: second })
      const paid = await s.payoutOf(order.id)
      expect(paid.status).toBe('paid')
      const made = await t.db
        .select()
        .from(offlineTransfers)
        .where(eq(offlineTransfers.payoutId, payout.id))
      expect(made.map((m) => m.id)).toEqual([paid.transferId])
      expect(second.transfers.map((x) => x.idempotencyKey)).toEqual([`payout-${payout.id}`])
    },
  )
})
