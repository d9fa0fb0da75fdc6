import process from 'node:process'
import { runMain } from '@twtix/common/main'
import { OrdersConfigSchema } from './config.ts'
import { createOrdersService } from './service.ts'

await runMain({
  name: 'orders',
  schema: OrdersConfigSchema,
  env: process.env,
  create: createOrdersService,
})
