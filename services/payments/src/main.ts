import process from 'node:process'
import { runMain } from '@twtix/common/main'
import { PaymentsConfigSchema } from './config.ts'
import { createPaymentsService } from './service.ts'

await runMain({
  name: 'payments',
  schema: PaymentsConfigSchema,
  env: process.env,
  create: createPaymentsService,
})
