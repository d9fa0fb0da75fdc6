import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from './logger.ts'
import { createFixtureDatabase } from './testing/fixture-database.ts'

describe('logger', () => {
  it('writes one JSON object per line with its fields', () => {
    const logger = memoryLogger('info')
    logger.child({ service: 'auth' }).info('hello', { requestId: 'r1' })
    logger.debug('hidden')
    expect(logger.lines).toHaveLength(1)
    expect(JSON.parse(logger.lines[0] as string)).toMatchObject({
      level: 'info',
      msg: 'hello',
      service: 'auth',
      requestId: 'r1',
    })
  })

  it('never writes secrets, however deep', () => {
    const logger = memoryLogger()
    logger.info('x', {
      body: { password: 'hunter22', nested: { authorization: 'Bearer abc' } },
      token: 't0k',
    })
    const line = logger.lines.join('\n')
    expect(line).not.toContain('hunter22')
    expect(line).not.toContain('Bearer abc')
    expect(line).not.toContain('t0k')
  })

  it('keeps why an error happened: its code and its cause', () => {
    const logger = memoryLogger()
    const driver = Object.assign(new Error('write CONNECTION_ENDED 127.0.0.1:5432'), {
      code: 'CONNECTION_ENDED',
    })
    logger.error('unhandled error', {
      error: new Error('Failed query: select 1', { cause: driver }),
    })
    expect(JSON.parse(logger.lines[0] as string).error).toEqual({
      name: 'Error',
      message: 'Failed query: select 1',
      cause: {
        name: 'Error',
        message: 'write CONNECTION_ENDED 127.0.0.1:5432',
        code: 'CONNECTION_ENDED',
      },
    })
  })

  // A failed statement's error carries its bound values (drizzle's message lists them, a
  // PostgreSQL error's detail and some of its messages quote them): a password hash or a private
  // key must not reach the log through it.
  it('logs a failed query by SQLSTATE, constraint and statement, never its values', async () => {
    const database = await createFixtureDatabase()
    try {
      await database.db.execute(
        sql`create table if not exists common_fixture.log_secret (v text primary key)`,
      )
      const secretValue = `scrypt$${crypto.randomUUID()}`
      await database.db.execute(sql`insert into common_fixture.log_secret values (${secretValue})`)
      const failed = await database.db
        .execute(sql`insert into common_fixture.log_secret values (${secretValue})`)
        .then(
          () => undefined,
          (err: unknown) => err,
        )
      const logger = memoryLogger()
      logger.error('insert failed', { error: failed })
      const line = logger.lines[0] as string
      expect(line).not.toContain(secretValue)
      const logged = JSON.parse(line).error
      expect(logged.message).toBe('Failed query: insert into common_fixture.log_secret values ($1)')
      expect(logged.cause).toMatchObject({ code: '23505', constraint: 'log_secret_pkey' })
    } finally {
      await database.close()
    }
  })
})
