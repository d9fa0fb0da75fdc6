import type { DeliveryRow } from '../db/schema.ts'

/** The delivery as its seller sees it: a code or URL in full, a file by its description. */
export type Delivery =
  | { ticketId: string; kind: 'code' | 'url'; value: string; updatedAt: string }
  | {
      ticketId: string
      kind: 'file'
      contentType: string
      fileName: string
      size: number
      updatedAt: string
    }

export function toDelivery(row: Omit<DeliveryRow, 'content'>): Delivery {
  const base = { ticketId: row.ticketId, updatedAt: row.updatedAt.toISOString() }
  if (row.kind === 'file') {
    return {
      ...base,
      kind: 'file',
      contentType: row.contentType ?? 'application/octet-stream',
      fileName: row.fileName ?? 'ticket',
      size: row.size ?? 0,
    }
  }
  return { ...base, kind: row.kind, value: row.value ?? '' }
}
