import { NotFoundError } from '@twtix/common'
import { eq } from 'drizzle-orm'
import { events } from '../db/schema.ts'
import type { Deps } from '../deps.ts'
import { type Event, toEvent } from '../views.ts'

/** Any event by id, past and cancelled ones included. */
export async function getEvent(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<Event> {
  const [row] = await deps.db.select().from(events).where(eq(events.id, id))
  if (!row) throw new NotFoundError('Event not found')
  return toEvent(row, deps.clock())
}
