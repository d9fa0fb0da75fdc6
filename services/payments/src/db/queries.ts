import type { Db, Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { type Payment, payments } from './schema.ts'

/** The payment, locked until the transaction ends: its status changes one writer at a time. */
export async function lockPayment(tx: Tx, id: string): Promise<Payment> {
  const [payment] = await tx.db.select().from(payments).where(eq(payments.id, id)).for('update')
  if (!payment) throw new Error(`payment ${id} not found`)
  return payment
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A payment by its PaymentIntent id, or by the payment id the charge carried in its metadata. */
export async function findPaymentOfIntent(
  db: Db,
  intentId: string,
  paymentId?: string,
): Promise<Payment | undefined> {
  const [byIntent] = await db.select().from(payments).where(eq(payments.stripeId, intentId))
  if (byIntent || !paymentId || !uuid.test(paymentId)) return byIntent
  const [byId] = await db.select().from(payments).where(eq(payments.id, paymentId))
  return byId
}
