import type { JsonWebKeySet, Service, ServiceInfra } from '@twtix/common'
import type * as v from 'valibot'
import { AuthConfigSchema } from '../../services/auth/src/config.ts'
import { createAuthService } from '../../services/auth/src/service.ts'
import { ExpirationConfigSchema } from '../../services/expiration/src/config.ts'
import { createExpirationService } from '../../services/expiration/src/service.ts'
import { OrdersConfigSchema } from '../../services/orders/src/config.ts'
import { createOrdersService } from '../../services/orders/src/service.ts'
import { PaymentsConfigSchema } from '../../services/payments/src/config.ts'
import { createPaymentsService } from '../../services/payments/src/service.ts'
import { TicketsConfigSchema } from '../../services/tickets/src/config.ts'
import { createTicketsService } from '../../services/tickets/src/service.ts'

/** A service the embedded start mounts: its config schema, its factory and its URL prefix. */
export type ServiceEntry = {
  name: string
  prefix?: string
  schema: v.GenericSchema
  create: (infra: ServiceInfra<never>) => Promise<Service & { jwks?: () => Promise<JsonWebKeySet> }>
}

// auth comes first: the others verify tokens with its keys.
export const serviceEntries: ServiceEntry[] = [
  { name: 'auth', prefix: '/api/users', schema: AuthConfigSchema, create: createAuthService },
  {
    name: 'tickets',
    prefix: '/api/tickets',
    schema: TicketsConfigSchema,
    create: createTicketsService,
  },
  {
    name: 'orders',
    prefix: '/api/orders',
    schema: OrdersConfigSchema,
    create: createOrdersService,
  },
  { name: 'expiration', schema: ExpirationConfigSchema, create: createExpirationService },
  {
    name: 'payments',
    prefix: '/api/payments',
    schema: PaymentsConfigSchema,
    create: createPaymentsService,
  },
] as ServiceEntry[]
