import type { EventHandler } from '@twtix/common'
import { recordClaimOpened } from '../commands/record-claim.ts'
import type { Deps } from '../deps.ts'

export function onClaimOpened(deps: Deps): EventHandler<'claim.opened'> {
  return async (tx, event) => {
    await recordClaimOpened(deps, tx, event.data)
  }
}
