import { createServiceApp, type Logger } from '@twtix/common'

export type AppOptions = { logger: Logger; ready?: () => Promise<void> }

/** The worker serves no API: only `/health`, `/ready` and the JSON 404 of every service. */
export function createApp(options: AppOptions) {
  return createServiceApp(options)
}
