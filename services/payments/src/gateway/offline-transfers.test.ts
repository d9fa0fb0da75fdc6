import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { offlineTransfers } from '../db/schema.ts'
import { setupPayments } from '../test-support.ts'
import { createOfflineGateway } from './offline.ts'
import { databaseTransfers } from './offline-transfers.ts'
import type { TransferInput } from './port.ts'

const t = await setupPayments()

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
})
