import process from 'node:process'
import { runService } from '@twtix/common/run-service'
import { TicketsConfigSchema } from './config.ts'
import { createTicketsService } from './service.ts'

await runService({
  name: 'tickets',
  schema: TicketsConfigSchema,
  env: process.env,
  create: createTicketsService,
})
