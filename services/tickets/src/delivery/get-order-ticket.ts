import { Buffer } from 'node:buffer'
import { ConflictError, GoneError, NotFoundError } from '@twtix/common'
import { and, eq, getTableColumns, sql } from 'drizzle-orm'
import { ticketDeliveries, ticketOrders } from '../db/schema.ts'
import type { Deps } from '../deps.ts'

export const ORDER_REFUNDED = 'This order was refunded'

export type OrderTicket =
  | { kind: 'code' | 'url'; value: string }
  | { kind: 'file'; content: Uint8Array; contentType: string; fileName: string }

/**
 * What the buyer of a paid order needs to get in. Anyone else, an unpaid or cancelled order and an
 * unknown one all get the same 404: whether the order exists is not told. The buyer of a refunded
 * order (a claim resolved with a refund, a missed delivery deadline) is told why: 410.
 */
export async function getOrderTicket(
  deps: Pick<Deps, 'db'>,
  input: { orderId: string; userId: string },
): Promise<OrderTicket> {
  const [order] = await deps.db
    .select({ ticketId: ticketOrders.ticketId, status: ticketOrders.status })
    .from(ticketOrders)
    .where(and(eq(ticketOrders.orderId, input.orderId), eq(ticketOrders.buyerId, input.userId)))
  if (order?.status === 'refunded') throw new GoneError(ORDER_REFUNDED)
  if (order?.status !== 'paid') throw new NotFoundError('Order not found')
  const [row] = await deps.db
    .select({
      ...getTableColumns(ticketDeliveries),
      // As base64 text, decoded natively: PGlite's own decoding of 2 MB of bytea is slow.
      content: sql<string | null>`encode(${ticketDeliveries.content}, 'base64')`,
    })
    .from(ticketDeliveries)
    .where(eq(ticketDeliveries.ticketId, order.ticketId))
  if (!row) throw new ConflictError('The seller has not added the delivery yet')
  if (row.kind === 'file' && row.content !== null) {
    return {
      kind: 'file',
      content: new Uint8Array(Buffer.from(row.content, 'base64')),
      contentType: row.contentType ?? 'application/octet-stream',
      fileName: row.fileName ?? 'ticket',
    }
  }
  return { kind: row.kind === 'url' ? 'url' : 'code', value: row.value ?? '' }
}
