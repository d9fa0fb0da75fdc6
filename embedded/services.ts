import type {
  JsonWebKeySet,
  OutboxTable,
  ProcessedEventsTable,
  Service,
  ServiceInfra,
} from '@twtix/common'
import * as v from 'valibot'
import { AuthConfigSchema } from '../services/auth/src/config.ts'
import { createAuthService } from '../services/auth/src/service.ts'
import { ExpirationConfigSchema } from '../services/expiration/src/config.ts'
import * as expiration from '../services/expiration/src/db/schema.ts'
import { createExpirationService } from '../services/expiration/src/service.ts'
import { OrdersConfigSchema } from '../services/orders/src/config.ts'
import * as orders from '../services/orders/src/db/schema.ts'
import { createOrdersService } from '../services/orders/src/service.ts'
import { PaymentsConfigSchema } from '../services/payments/src/config.ts'
import * as payments from '../services/payments/src/db/schema.ts'
import { createPaymentsService } from '../services/payments/src/service.ts'
import { StorefrontConfigSchema } from '../services/storefront/src/config.ts'
import { TicketsConfigSchema } from '../services/tickets/src/config.ts'
import * as tickets from '../services/tickets/src/db/schema.ts'
import { createTicketsService } from '../services/tickets/src/service.ts'

type Factory = (
  infra: ServiceInfra<never>,
) => Promise<Service & { jwks?: () => Promise<JsonWebKeySet> }>

/**
 * The one list of twtix's services, read by the embedded start, the stack, Compose's test, the
 * docs, the invariant checker, the fault suite and the benchmark. The port is the default of the
 * service's own PORT setting; `prefix` is where the ingress routes it (none: a worker).
 */
function entry<const N extends string>(e: {
  name: N
  prefix?: string
  /**
   * More prefixes the ingress routes to the service (tickets serves `/api/events`, orders
   * `/api/claims`, payments `/api/payouts`).
   */
  morePrefixes?: string[]
  /**
   * Single paths under another service's prefix that this one serves, as regular expressions
   * (the same text in the ingress's `location ~`): they win over every prefix. Tickets serves
   * a paid order's delivery, `/api/orders/:id/ticket`.
   */
  moreRoutes?: string[]
  schema: v.ObjectSchema<v.ObjectEntries, undefined>
  /** Absent for the storefront, which the embedded start wires to the API itself. */
  create?: Factory
  /** The outbox and processed events of a service on the bus. */
  events?: { outbox: OutboxTable; processed: ProcessedEventsTable }
  /** No database and no bus: it calls the public API instead. */
  stateless?: boolean
}) {
  const port = Number(v.getDefault(e.schema.entries.PORT as v.GenericSchema))
  return { ...e, port, stateless: e.stateless ?? false }
}

const eventsOf = (s: { outbox: OutboxTable; processedEvents: ProcessedEventsTable }) => ({
  outbox: s.outbox,
  processed: s.processedEvents,
})

// auth comes first: the others verify tokens with its keys.
export const services = [
  entry({
    name: 'auth',
    prefix: '/api/users',
    schema: AuthConfigSchema,
    create: createAuthService,
  }),
  entry({
    name: 'tickets',
    prefix: '/api/tickets',
    morePrefixes: ['/api/events'],
    moreRoutes: ['^/api/orders/[^/]+/ticket$'],
    schema: TicketsConfigSchema,
    create: createTicketsService,
    events: eventsOf(tickets),
  }),
  entry({
    name: 'orders',
    prefix: '/api/orders',
    morePrefixes: ['/api/claims'],
    schema: OrdersConfigSchema,
    create: createOrdersService,
    events: eventsOf(orders),
  }),
  entry({
    name: 'expiration',
    schema: ExpirationConfigSchema,
    create: createExpirationService,
    events: eventsOf(expiration),
  }),
  entry({
    name: 'payments',
    prefix: '/api/payments',
    morePrefixes: ['/api/payouts'],
    schema: PaymentsConfigSchema,
    create: createPaymentsService,
    events: eventsOf(payments),
  }),
  entry({ name: 'storefront', prefix: '/', schema: StorefrontConfigSchema, stateless: true }),
] as const

export type ServiceName = (typeof services)[number]['name']
export type ServiceEntry = (typeof services)[number]
