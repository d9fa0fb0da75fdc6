import { createEnvelope, inTransaction } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { refundDue } from '../commands/refund-due.ts'
import { setupPayments } from '../test-support.ts'
import { onTicketUndelivered } from './on-ticket-undelivered.ts'

const t = await setupPayments()

const undelivered = (orderId: string) =>
  createEnvelope('ticket.undelivered', { id: crypto.randomUUID(), orderId })

const apply = (event: ReturnType<typeof undelivered>) =>
  inTransaction({ db: t.db }, (tx) => onTicketUndelivered(t.deps)(tx, event))

describe('ticket.undelivered', () => {
  it('refunds the paid order in full, once, even when the event comes twice', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id, { price: 6400 })
    const paid = await (await t.pay(headers, { orderId: order.id, token: 'tok_visa' })).json()
    expect(paid.status).toBe('succeeded')
    const event = undelivered(order.id)
    await apply(event)
    await apply(event)
    await apply(undelivered(order.id))
    expect((await t.paymentsOf(order.id))[0]?.refundDueAt).toEqual(t.clock())
    await refundDue(t.deps)
    await refundDue(t.deps)
    expect(t.gateway.refunds.filter((r) => r.paymentIntentId === paid.stripeId)).toEqual([
      { paymentIntentId: paid.stripeId, idempotencyKey: `refund-${paid.id}` },
    ])
    expect((await t.paymentsOf(order.id))[0]?.status).toBe('refunded')
    expect(await t.events('payment.refunded', order.id)).toEqual([
      { id: paid.id, orderId: order.id, amount: 6400, stripeId: paid.stripeId },
    ])
  })

  it('changes nothing for an order without a successful charge', async () => {
    const { user, headers } = await t.auth.user()
    const order = await t.order(user.id)
    await t.pay(headers, { orderId: order.id, token: 'tok_chargeDeclined' })
    await apply(undelivered(order.id))
    expect((await t.paymentsOf(order.id))[0]).toMatchObject({ status: 'failed', refundDueAt: null })
    await apply(undelivered(crypto.randomUUID()))
  })
})
