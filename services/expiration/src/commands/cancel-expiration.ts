import type { Tx } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { due } from '../db/schema.ts'

/** Forgets an order that ended (paid or cancelled) before its hold ran out. */
export async function cancelExpiration(tx: Tx, orderId: string): Promise<boolean> {
  const deleted = await tx.db
    .delete(due)
    .where(eq(due.orderId, orderId))
    .returning({ orderId: due.orderId })
  return deleted.length === 1
}
