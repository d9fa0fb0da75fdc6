import type { EventHandler } from '@twtix/common'
import { recordEvent } from '../commands/record-event.ts'
import type { Deps } from '../deps.ts'

/** event.created and event.updated: both carry the event's whole state. */
export function onEventChanged(deps: Deps): EventHandler<'event.created' | 'event.updated'> {
  return async (tx, event) => {
    await recordEvent(deps, tx, event.data)
  }
}
