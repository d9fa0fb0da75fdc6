import {
  createEnvelope,
  type EventData,
  inTransaction,
  manualClock,
  memoryLogger,
  readConfig,
} from '@twtix/common'
import { createTestAuth, createTestDatabase } from '@twtix/common/testing'
import { and, eq } from 'drizzle-orm'
import { afterAll } from 'vitest'
import { createApp } from './app.ts'
import { PaymentsConfigSchema } from './config.ts'
import { orders, outbox, payments } from './db/schema.ts'
import type { Deps } from './deps.ts'
import { onOrderCreated } from './events/on-order-created.ts'
import { createOfflineGateway } from './gateway/offline.ts'
import type { ChargeInput, PaymentGateway, RefundInput, TransferInput } from './gateway/port.ts'
import { createWebhookVerifier } from './gateway/webhooks.ts'
import { migrationsFolder } from './service.ts'

export type CountingGateway = PaymentGateway & {
  charges: ChargeInput[]
  refunds: RefundInput[]
  transfers: TransferInput[]
  reversals: { transferId: string; idempotencyKey: string }[]
}

/** The offline gateway, remembering every call it was asked to make. */
export function countingGateway(inner: PaymentGateway = createOfflineGateway()): CountingGateway {
  const charges: ChargeInput[] = []
  const refunds: RefundInput[] = []
  const transfers: TransferInput[] = []
  const reversals: { transferId: string; idempotencyKey: string }[] = []
  return {
    name: inner.name,
    charges,
    refunds,
    transfers,
    reversals,
    charge: (input) => {
      charges.push(input)
      return inner.charge(input)
    },
    refund: (input) => {
      refunds.push(input)
      return inner.refund(input)
    },
    createAccount: (input) => inner.createAccount(input),
    accountLink: (input) => inner.accountLink(input),
    transfer: (input) => {
      transfers.push(input)
      return inner.transfer(input)
    },
    reverseTransfer: (input) => {
      reversals.push(input)
      return inner.reverseTransfer(input)
    },
  }
}

export const WEBHOOK_SECRET = 'whsec_test_secret'

/** One database, app and gateway per test file, closed after it; each test makes its own data. */
export async function setupPayments(env: Record<string, string> = {}) {
  const database = await createTestDatabase({ service: 'payments', migrationsFolder })
  afterAll(() => database.close())
  const auth = await createTestAuth()
  const clock = manualClock()
  const logger = memoryLogger('warn')
  const gateway = countingGateway()
  const deps: Deps = {
    db: database.db,
    clock,
    logger,
    config: readConfig(PaymentsConfigSchema, { PAYMENTS_OFFLINE: 'true', ...env }),
    gateway,
    webhooks: createWebhookVerifier(WEBHOOK_SECRET),
    verifier: auth.verifier,
  }
  const app = createApp(deps)
  const db = database.db

  /** An order as orders announces it, applied through the order.created handler. */
  async function order(
    userId: string,
    options: {
      price?: number
      holdMs?: number
      fees?: Pick<EventData<'order.created'>, 'buyerFee' | 'sellerFee' | 'total'>
      sellerId?: string
      eventId?: string | null
    } = {},
  ) {
    const data: EventData<'order.created'> = {
      id: crypto.randomUUID(),
      userId,
      status: 'created',
      expiresAt: new Date(clock().getTime() + (options.holdMs ?? 15 * 60_000)).toISOString(),
      version: 0,
      ticket: { id: crypto.randomUUID(), title: 'Concert', price: options.price ?? 3000 },
      sellerId: options.sellerId ?? crypto.randomUUID(),
      eventId: options.eventId ?? null,
      ...options.fees,
    }
    const event = createEnvelope('order.created', data)
    await inTransaction({ db: db }, (tx) => onOrderCreated(deps)(tx, event))
    return data
  }

  function pay(headers: Record<string, string>, body: unknown) {
    return app.request('/api/payments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  }

  async function paymentsOf(orderId: string) {
    return db.select().from(payments).where(eq(payments.orderId, orderId))
  }

  async function orderCopy(orderId: string) {
    const [row] = await db.select().from(orders).where(eq(orders.id, orderId))
    return row
  }

  /** The data of the outbox events of one type about one order. */
  async function events(type: string, orderId: string) {
    const rows = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, type), eq(outbox.key, orderId)))
    return rows.map((r) => JSON.parse(r.payload).data as Record<string, unknown>)
  }

  return {
    database,
    db,
    auth,
    clock,
    logger,
    gateway,
    deps,
    app,
    order,
    pay,
    paymentsOf,
    orderCopy,
    events,
  }
}

export type PaymentsTest = Awaited<ReturnType<typeof setupPayments>>
