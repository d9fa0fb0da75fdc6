import type { BaseDeps } from '@twtix/common'
import type { ExpirationConfig } from './config.ts'

export type Deps = BaseDeps & {
  config: Pick<ExpirationConfig, 'SWEEP_BATCH_SIZE'>
}
