import process from 'node:process'
import { runService } from '@twtix/common/run-service'
import { ExpirationConfigSchema } from './config.ts'
import { createExpirationService } from './service.ts'

await runService({
  name: 'expiration',
  schema: ExpirationConfigSchema,
  env: process.env,
  create: createExpirationService,
})
