import { and, desc, eq, type SQL, sql } from 'drizzle-orm'
import { type ClaimStatus, claims } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type ClaimView, claimView } from '../views.ts'
import { type Cursor, encodeCursor } from './cursor.ts'

/**
 * Claims for the admins, newest first, optionally of one status, a page at a time: keyset on
 * (opened_at, id), so a page is as fast deep in the list as at its start.
 */
export async function listClaims(
  deps: Pick<Deps, 'db'>,
  input: { status?: ClaimStatus; limit: number; cursor?: Cursor },
): Promise<{ claims: ClaimView[]; next?: string }> {
  const conditions: (SQL | undefined)[] = []
  if (input.status) conditions.push(eq(claims.status, input.status))
  if (input.cursor) {
    conditions.push(
      sql`(${claims.openedAt}, ${claims.id}) < (${sql.param(input.cursor.createdAt, claims.openedAt)}, ${sql.param(input.cursor.id, claims.id)})`,
    )
  }
  const rows = await deps.db
    .select()
    .from(claims)
    .where(and(...conditions))
    .orderBy(desc(claims.openedAt), desc(claims.id))
    .limit(input.limit + 1)
  const page = rows.slice(0, input.limit)
  const last = page[page.length - 1]
  const next =
    rows.length > input.limit && last
      ? encodeCursor({ createdAt: last.openedAt, id: last.id })
      : undefined
  return { claims: page.map(claimView), next }
}
