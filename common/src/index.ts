export { deliver } from './bus/deliver.ts'
export { createInProcessBus, type InProcessBusOptions } from './bus/in-process.ts'
export {
  type BusMessage,
  deadLetterTopic,
  defaultRetryPolicy,
  type EventBus,
  type MessageHandler,
  type OutgoingMessage,
  type RetryPolicy,
  type Subscription,
} from './bus/port.ts'
export { type Clock, type ManualClock, manualClock, systemClock } from './clock.ts'
export {
  baseConfigEntries,
  ConfigError,
  envBool,
  envInt,
  envUrl,
  LogLevelSchema,
  readConfig,
  tokenConfigEntries,
} from './config.ts'
export { type CronJob, type CronJobOptions, startCronJob } from './cron-job.ts'
export { type Db, rowsOf } from './db/types.ts'
export * from './errors.ts'
export * from './events/catalogue.ts'
export * from './events/envelope.ts'
export { clientAddress } from './http/client-address.ts'
export {
  type AuthVariables,
  currentUser,
  requireAuth,
  SESSION_COOKIE,
  userOf,
} from './http/current-user.ts'
export { errorHandler, notFoundHandler } from './http/error-handler.ts'
export {
  type IdempotencyKeysTable,
  idempotency,
  idempotencyKeysTable,
} from './http/idempotency.ts'
export { type FetchHandler, type RunningServer, serveHttp } from './http/serve.ts'
export { type AppEnv, type AppVariables, createServiceApp } from './http/service-app.ts'
export { issuesToItems, validate } from './http/validate.ts'
export { createLogger, type Logger, type LogLevel, memoryLogger } from './logger.ts'
export {
  type ConsumerOptions,
  type EventHandler,
  RetryLaterError,
  type Subscriptions,
  startConsumer,
} from './outbox/consume.ts'
export { enqueue, outboxRow } from './outbox/enqueue.ts'
export { once } from './outbox/once.ts'
export { createRelay, type Relay, type RelayOptions } from './outbox/relay.ts'
export {
  type OutboxTable,
  outboxTable,
  type ProcessedEventsTable,
  processedEventsTable,
} from './outbox/tables.ts'
export { inTransaction, type TransactionDeps, type Tx } from './outbox/transaction.ts'
export { createRateLimiter, type RateLimiter, type RateLimitResult } from './rate-limit.ts'
export type { Service, ServiceInfra } from './service.ts'
export { type ServiceEvents, serviceEvents } from './service-events.ts'
export { type AuthKeysTable, authKeysTable, jwksSource } from './tokens/jwks-source.ts'
export {
  generateSigningKey,
  type JsonWebKeySet,
  type SigningKey,
  TOKEN_ALGORITHM,
} from './tokens/keys.ts'
export { serviceVerifier } from './tokens/service-verifier.ts'
export { createSigner, type TokenOptions, type TokenSigner } from './tokens/signer.ts'
export {
  createVerifier,
  type TokenVerifier,
  type UserPayload,
  type VerifierOptions,
} from './tokens/verifier.ts'
