import { NotFoundError } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { tickets } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Ticket, toTicket } from '../views.ts'

/** Any ticket by id, sold ones included. */
export async function getTicket(deps: Pick<Deps, 'db'>, id: string): Promise<Ticket> {
  const [row] = await deps.db.select().from(tickets).where(eq(tickets.id, id))
  if (!row) throw new NotFoundError('Ticket not found')
  return toTicket(row)
}
