import process from 'node:process'
import { runMain } from '@twtix/common/main'
import { StorefrontConfigSchema } from './config.ts'
import { createStorefrontService } from './service.ts'

await runMain({
  name: 'storefront',
  schema: StorefrontConfigSchema,
  env: process.env,
  create: (infra) => createStorefrontService(infra),
})
