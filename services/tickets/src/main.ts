import process from 'node:process'
import { runMain } from '@twtix/common/main'
import { TicketsConfigSchema } from './config.ts'
import { createTicketsService } from './service.ts'

await runMain({
  name: 'tickets',
  schema: TicketsConfigSchema,
  env: process.env,
  create: createTicketsService,
})
