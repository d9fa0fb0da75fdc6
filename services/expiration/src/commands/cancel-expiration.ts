import { eq } from 'drizzle-orm'
import { due } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

/** Forgets an order that ended (paid or cancelled) before its hold ran out. */
export async function cancelExpiration(deps: Deps, orderId: string): Promise<boolean> {
  const deleted = await deps.db
    .delete(due)
    .where(eq(due.orderId, orderId))
    .returning({ orderId: due.orderId })
  return deleted.length === 1
}
