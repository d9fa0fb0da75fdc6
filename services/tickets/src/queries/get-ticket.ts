import { builtOncePer, type Db, NotFoundError } from '@twtix/common'
import { eq, sql } from 'drizzle-orm'
import { tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Ticket, toTicket } from '../views.ts'

// Built once per database: a buyer waiting for their order polls this route.
const prepared = builtOncePer((db: Db) =>
  db
    .select()
    .from(tickets)
    .where(eq(tickets.id, sql.placeholder('id')))
    .prepare('tickets_get_ticket'),
)

/** Any ticket by id, sold ones included. */
export async function getTicket(deps: Pick<Deps, 'db'>, id: string): Promise<Ticket> {
  const [row] = await prepared(deps.db).execute({ id })
  if (!row) throw new NotFoundError('Ticket not found')
  return toTicket(row)
}
