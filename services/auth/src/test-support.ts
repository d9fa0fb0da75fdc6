import { createInProcessBus, manualClock, memoryLogger, readConfig } from '@twtix/common'
import type { Database } from '@twtix/common/db'
import { createTestDatabase } from '@twtix/common/testing'
import { AuthConfigSchema } from './config.ts'
import { newKeyEncryptionKey } from './key-sealing.ts'
import { createAuthService, migrationsFolder } from './service.ts'

export function authTestDatabase(): Promise<Database> {
  return createTestDatabase({ service: 'auth', migrationsFolder })
}

/** The auth service as it runs, on a test database, with a clock and a log the test can read. */
export async function createTestAuthService(database: Database, env: Record<string, string> = {}) {
  const clock = manualClock(new Date())
  const logger = memoryLogger()
  const config = readConfig(AuthConfigSchema, { AUTH_KEY_ENCRYPTION_KEY: TEST_KEK, ...env })
  // An empty value is unset, as in an .env file.
  const service = await createAuthService({
    config,
    database,
    bus: createInProcessBus(),
    logger,
    clock,
  })
  const app = service.app
  // Requests arrive as over a socket from this machine (the peer the ingress would be).
  const peer = { incoming: { socket: { remoteAddress: '127.0.0.1' } } }
  const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.fetch(
      new Request(`http://auth.test${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
      peer,
    )
  const get = (path: string, headers: Record<string, string> = {}) =>
    app.fetch(new Request(`http://auth.test${path}`, { headers }), peer)
  return { service, clock, logger, json, get }
}

/** The key encryption key of test auth services (a test may pass another). */
export const TEST_KEK = newKeyEncryptionKey()

export const newEmail = () => `user-${crypto.randomUUID().slice(0, 8)}@example.test`
