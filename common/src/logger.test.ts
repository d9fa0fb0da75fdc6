import { describe, expect, it } from 'vitest'
import { memoryLogger } from './logger.ts'

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
})
