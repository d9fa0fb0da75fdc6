import process from 'node:process'
import { runMain } from '@twtix/common/main'
import { StorefrontConfigSchema } from './config.ts'
import { createStorefrontService } from './service.ts'

await runMain({
  name: 'storefront',
  schema: StorefrontConfigSchema,
  env: process.env,
  // It keeps nothing: every page comes from the public API at API_URL.
  infrastructure: false,
  create: (infra) => createStorefrontService(infra),
})
