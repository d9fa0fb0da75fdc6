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
})
