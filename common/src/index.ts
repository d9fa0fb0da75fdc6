export { deliver } from './bus/deliver.ts'
export { createInProcessBus } from './bus/in-process.ts'
export { type KafkaSaslConfig, kafkaSasl } from './bus/kafka-sasl.ts'
export { type BusMessage, deadLetterTopic, type EventBus, type RetryPolicy } from './bus/port.ts'
export { type Clock, type ManualClock, manualClock, systemClock } from './clock.ts'
export {
  baseConfigEntries,
  ConfigError,
  envBool,
  envInt,
  envRatio,
  envTrustedProxies,
  envUrl,
  kafkaSaslConfigEntries,
  LogLevelSchema,
  readConfig,
  tokenConfigEntries,
} from './config.ts'
export { type CronJob, startCronJob } from './cron-job.ts'
export { builtOncePer, placeholderFor, rowValues, statement } from './db/statement.ts'
export { type Db, rowsOf } from './db/types.ts'
export { isUniqueViolation } from './db/unavailable.ts'
export * from './errors.ts'
export * from './events/catalogue.ts'
export * from './events/envelope.ts'
export {
  clientAddress,
  inProcessHop,
  parseTrustedProxies,
  type TrustedProxies,
} from './http/client-address.ts'
export {
  ADMINS_ONLY,
  currentUser,
  perUserLimit,
  REFRESH_COOKIE,
  requireAdmin,
  requireAuth,
  SESSION_COOKIE,
  sessionToken,
  userOf,
} from './http/current-user.ts'
export { errorHandler, notFoundHandler } from './http/error-handler.ts'
export {
  type IdempotencyOptions,
  idempotency,
  idempotencyKeysTable,
  readKeyedRequest,
  validIdempotencyKey,
} from './http/idempotency.ts'
export { idempotentTransaction, type TransactionEnv } from './http/idempotent-transaction.ts'
export { type RunningServer, serveHttp } from './http/serve.ts'
export { type AppEnv, type AppVariables, createServiceApp } from './http/service-app.ts'
export { issuesToItems, validate } from './http/validate.ts'
export { createLogger, type Logger, memoryLogger } from './logger.ts'
export {
  type AtOnceHandler,
  type AtOnceOutcome,
  atOnce,
  insertRow,
  notRecorded,
  recordFrom,
} from './outbox/at-once.ts'
export {
  type EventHandler,
  RetryLaterError,
  type Subscriptions,
  startConsumer,
} from './outbox/consume.ts'
export { enqueue, outboxInsert, outboxRow } from './outbox/enqueue.ts'
export { once } from './outbox/once.ts'
export {
  type OutboxTable,
  outboxTable,
  type ProcessedEventsTable,
  processedEventsTable,
} from './outbox/tables.ts'
export { inTransaction, type Tx } from './outbox/transaction.ts'
export { createRateLimiter, type RateLimiter, type RateLimitResult } from './rate-limit.ts'
export {
  purgeExpired,
  RETENTION,
  type Retained,
  startRetentionJob,
} from './retention.ts'
export type { BaseDeps, Service, ServiceInfra } from './service.ts'
export { serviceEvents } from './service-events.ts'
export { authKeysTable } from './tokens/jwks-source.ts'
export { generateSigningKey, type JsonWebKeySet, type SigningKey } from './tokens/keys.ts'
export {
  createRevocations,
  onSessionRevoked,
  type Revocations,
  type RevokedSessionsTable,
  revokedSessionsTable,
} from './tokens/revocations.ts'
export { serviceRevocations, serviceVerifier } from './tokens/service-verifier.ts'
export {
  createSigner,
  type SessionClaims,
  type SignedUser,
  type TokenSigner,
} from './tokens/signer.ts'
export {
  createVerifier,
  type Role,
  type TokenVerifier,
  type UserPayload,
  type VerifiedSession,
} from './tokens/verifier.ts'
