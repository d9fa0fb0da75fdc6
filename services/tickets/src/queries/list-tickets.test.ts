import { rowsOf } from '@twtix/common'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { setupTickets } from '../test-support.ts'
import { listingQuery } from './list-tickets.ts'

const { deps } = await setupTickets()

/** The plan of the listing query, with scans that could hide a missing index switched off. */
async function plan(after?: { createdAt: Date; id: string }) {
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`)
    await tx.execute(sql`set local enable_bitmapscan = off`)
    const query = listingQuery(tx, { limit: 21, now: new Date(), after })
    const rows = rowsOf<Record<string, string>>(await tx.execute(sql`explain ${query}`))
    return rows.map((r) => Object.values(r)[0]).join('\n')
  })
}

describe('the listing query', () => {
  it('reads the first page from the listing index in its order, with no sort', async () => {
    const text = await plan()
    expect(text).toContain('tickets_unsold_listing_idx')
    expect(text).not.toMatch(/\bSort\b/)
  })

  it('seeks to the cursor in the index instead of filtering every newer ticket', async () => {
    const text = await plan({ createdAt: new Date(), id: crypto.randomUUID() })
    expect(text).toContain('tickets_unsold_listing_idx')
    expect(text).not.toMatch(/\bSort\b/)
    expect(text).toMatch(/Index Cond: .*ROW\(created_at, id\) < ROW\(/)
  })
})
