import process from 'node:process'
import { runService } from '@twtix/common/run-service'
import { AuthConfigSchema } from './config.ts'
import { createAuthService } from './service.ts'

await runService({
  name: 'auth',
  schema: AuthConfigSchema,
  env: process.env,
  create: createAuthService,
})
