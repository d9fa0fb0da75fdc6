import { sql } from 'drizzle-orm'
import { pgSchema } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.ts'
import { serveHttp } from '../http/serve.ts'
import { memoryLogger } from '../logger.ts'
import { createFixtureDatabase } from '../testing/fixture-database.ts'
import { createTestAuth } from '../testing/test-auth.ts'
import { authKeysTable, jwksSource } from './jwks-source.ts'
import { createVerifier } from './verifier.ts'

const table = authKeysTable(pgSchema('jwks_cache_test'))
let database: Database
beforeAll(async () => {
  database = await createFixtureDatabase()
  for (const schema of ['jwks_cache_test', 'jwks_never']) {
    await database.db.execute(sql.raw(`create schema ${schema}`))
    await database.db.execute(
      sql.raw(
        `create table ${schema}.auth_keys (id text primary key, jwks jsonb not null, fetched_at timestamptz not null)`,
      ),
    )
  }
})
afterAll(async () => {
  await database?.close()
})

describe('jwksSource', () => {
  it('fetches auth’s keys over HTTP and keeps verifying from its stored copy once auth is down', async () => {
    const auth = await createTestAuth()
    const server = await serveHttp(() => Response.json({ keys: [auth.key.publicJwk] }), {
      port: 0,
      hostname: '127.0.0.1',
    })
    const url = `http://127.0.0.1:${server.port}/api/users/.well-known/jwks.json`
    const source = jwksSource({
      url,
      db: database.db,
      table,
      logger: memoryLogger(),
      timeoutMs: 1000,
    })
    expect((await source()).keys[0]?.kid).toBe(auth.key.kid)
    await server.close()

    const logger = memoryLogger()
    const offline = jwksSource({ url, db: database.db, table, logger, timeoutMs: 1000 })
    const verifier = createVerifier({ issuer: 'twtix-auth', audience: 'twtix', loadKeys: offline })
    const { user, headers } = await auth.user()
    expect(await verifier.verify(headers.Authorization.slice('Bearer '.length))).toEqual(user)
    expect(logger.lines.join('\n')).toContain('using the stored copy')
  })

  it('fails when auth is down and nothing was ever stored', async () => {
    const empty = authKeysTable(pgSchema('jwks_never'))
    const source = jwksSource({
      url: 'http://127.0.0.1:9/none',
      db: database.db,
      table: empty,
      logger: memoryLogger(),
      timeoutMs: 500,
    })
    await expect(source()).rejects.toThrow(/fetch failed|ECONNREFUSED|timed out|aborted/i)
  })
})
