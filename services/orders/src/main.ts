import process from 'node:process'
import { runService } from '@twtix/common/run-service'
import { OrdersConfigSchema } from './config.ts'
import { createOrdersService } from './service.ts'

await runService({
  name: 'orders',
  schema: OrdersConfigSchema,
  env: process.env,
  create: createOrdersService,
})
