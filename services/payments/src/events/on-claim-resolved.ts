import type { EventHandler } from '@twtix/common'
import { recordClaimResolved } from '../commands/record-claim.ts'
import type { Deps } from '../deps.ts'

export function onClaimResolved(deps: Deps): EventHandler<'claim.resolved'> {
  return async (tx, event) => {
    await recordClaimResolved(deps, tx, event.data)
  }
}
