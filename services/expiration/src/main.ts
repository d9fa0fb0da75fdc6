import process from 'node:process'
import { runMain } from '@twtix/common/main'
import { ExpirationConfigSchema } from './config.ts'
import { createExpirationService } from './service.ts'

await runMain({
  name: 'expiration',
  schema: ExpirationConfigSchema,
  env: process.env,
  create: createExpirationService,
})
