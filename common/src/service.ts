import type { EventBus } from './bus/port.ts'
import type { Clock } from './clock.ts'
import type { Database } from './db/database.ts'
import type { Db } from './db/types.ts'
import type { FetchHandler } from './http/serve.ts'
import type { Logger } from './logger.ts'
import type { JsonWebKeySet } from './tokens/keys.ts'
import type { Revocations } from './tokens/revocations.ts'
import type { TokenVerifier } from './tokens/verifier.ts'

/** What a service is given: the infrastructure its host (main.ts or the embedded start) opened. */
export type ServiceInfra<Config> = {
  config: Config
  database: Database
  bus: EventBus
  logger: Logger
  clock: Clock
  /** Auth's public keys; the embedded start passes auth's own, standalone services a JWKS cache. */
  keys?: () => Promise<JsonWebKeySet>
}

/**
 * What every service's `Deps` holds, passed to its app, routes, commands and handlers: the
 * database, time, the log, the relay to wake after a commit, the session verifier (none for a
 * worker: every request is anonymous) with the revoked sessions it refuses, and the readiness
 * check of `/ready`.
 */
export type BaseDeps = {
  db: Db
  clock: Clock
  logger: Logger
  relay?: { wake(): void }
  verifier?: TokenVerifier
  /** The sessions revoked (signed out) that the verifier refuses; session.revoked records them. */
  revocations?: Revocations
  ready?: () => Promise<void>
}

/** A service ready to run: its HTTP app and the background work it starts and stops. */
export type Service = {
  name: string
  app: { fetch: FetchHandler }
  /** Starts consumers, the outbox relay and timers. */
  start(): Promise<void>
  /** Stops them, flushing the relay; the host closes the database and the bus afterwards. */
  stop(): Promise<void>
  /** One line for the start-up banner. */
  summary: string
}
