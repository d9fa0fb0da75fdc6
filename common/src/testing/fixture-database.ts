import { fileURLToPath } from 'node:url'
import type { Database } from '../db/database.ts'
import { createTestDatabase } from './test-database.ts'

const migrationsFolder = fileURLToPath(new URL('../../../drizzle/common_fixture', import.meta.url))

/** A test database holding common's tables alone (schema `common_fixture`). */
export function createFixtureDatabase(): Promise<Database> {
  return createTestDatabase({ service: 'common_fixture', migrationsFolder })
}
