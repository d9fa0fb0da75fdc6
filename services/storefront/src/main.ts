import process from 'node:process'
import { runService } from '@twtix/common/run-service'
import { StorefrontConfigSchema } from './config.ts'
import { createStorefrontService } from './service.ts'

await runService({
  name: 'storefront',
  schema: StorefrontConfigSchema,
  env: process.env,
  // It keeps nothing: every page comes from the public API at API_URL.
  infrastructure: false,
  create: (infra) => createStorefrontService(infra),
})
