import process from 'node:process'
import { runMain } from '@twtix/common/main'
import { AuthConfigSchema } from './config.ts'
import { createAuthService } from './service.ts'

await runMain({
  name: 'auth',
  schema: AuthConfigSchema,
  env: process.env,
  create: createAuthService,
})
