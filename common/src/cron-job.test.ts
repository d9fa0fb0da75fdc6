import cron from 'node-cron'
import { describe, expect, it } from 'vitest'
import { startCronJob } from './cron-job.ts'
import { memoryLogger } from './logger.ts'
import { gate } from './testing/gate.ts'
import { eventually } from './testing/test-database.ts'

// These run on the real every-second schedule: each waits for a tick or two, never a fixed time.

const logged = (lines: string[], msg: string) => lines.some((l) => JSON.parse(l).msg === msg)

describe('a cron job', () => {
  it('skips ticks while a sweep is still running, and stop waits for it', async () => {
    const logger = memoryLogger()
    const release = gate()
    let calls = 0
    const sweeper = startCronJob({
      name: 'test.job',
      schedule: '* * * * * *',
      done: 'orders expired',
      logger,
      run: async () => {
        calls++
        if (calls === 1) await release.opened
        return 0
      },
    })
    await eventually(() => logged(logger.lines, 'job still running; tick skipped'), {
      timeoutMs: 5000,
      message: 'a tick skipped',
    })
    expect(calls).toBe(1)

    let stopped = false
    const stopping = sweeper.stop().then(() => {
      stopped = true
    })
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(stopped).toBe(false)
    release.open()
    await stopping
    expect(calls).toBe(1)
    expect([...cron.getTasks().values()].map((t) => t.name)).not.toContain('test.job')
  })

  it('logs a failed sweep and sweeps again on the next tick', async () => {
    const logger = memoryLogger()
    let calls = 0
    const sweeper = startCronJob({
      name: 'test.job',
      schedule: '* * * * * *',
      done: 'orders expired',
      logger,
      run: async () => {
        calls++
        if (calls === 1) throw new Error('database went away')
        return 3
      },
    })
    try {
      await eventually(() => calls >= 2, { timeoutMs: 5000, message: 'a second sweep' })
    } finally {
      await sweeper.stop()
    }
    const failure = logger.lines.map((l) => JSON.parse(l)).find((l) => l.level === 'error')
    expect(failure).toMatchObject({
      msg: 'job failed; will retry on the next tick',
      job: 'test.job',
      error: { message: 'database went away' },
    })
    expect(logged(logger.lines, 'orders expired')).toBe(true)
  })
})
