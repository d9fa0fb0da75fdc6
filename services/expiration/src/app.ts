import { createServiceApp } from '@twtix/common'
import type { Deps } from './deps.ts'

/** The worker serves no API: only `/health`, `/ready` and the JSON 404 of every service. */
export function createApp(deps: Deps) {
  return createServiceApp(deps)
}
