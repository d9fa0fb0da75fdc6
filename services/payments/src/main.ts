import process from 'node:process'
import { runService } from '@twtix/common/run-service'
import { PaymentsConfigSchema } from './config.ts'
import { createPaymentsService } from './service.ts'

await runService({
  name: 'payments',
  schema: PaymentsConfigSchema,
  env: process.env,
  create: createPaymentsService,
})
