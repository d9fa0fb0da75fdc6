import type { Logger } from '@twtix/common'
import cron from 'node-cron'

export type Sweeper = {
  /** Stops the schedule and waits for a sweep that is still running. */
  stop(): Promise<void>
}

export type SweeperOptions = {
  /** node-cron expression, seconds first. */
  schedule: string
  sweep: () => Promise<number>
  logger: Logger
}

/**
 * Runs `sweep` on a cron schedule. A tick that comes while the previous sweep still runs is
 * skipped, so one process never sweeps twice at once; a failed sweep is logged and the next
 * tick tries again.
 */
export function startSweeper(options: SweeperOptions): Sweeper {
  const { logger } = options
  let running: Promise<void> | undefined

  function tick() {
    if (running) {
      logger.debug('sweep still running; tick skipped')
      return
    }
    running = options
      .sweep()
      .then((count) => {
        if (count > 0) logger.info('orders expired', { count })
      })
      .catch((err) => logger.error('sweep failed; will retry on the next tick', { error: err }))
      .finally(() => {
        running = undefined
      })
  }

  const task = cron.schedule(options.schedule, tick, {
    name: 'expiration.sweep',
    logger: {
      info: (message) => logger.info(message),
      warn: (message) => logger.warn(message),
      error: (message, err) => logger.error(String(message), { error: err }),
      debug: (message, err) => logger.debug(String(message), { error: err }),
    },
  })

  return {
    async stop() {
      await task.destroy()
      await running
    },
  }
}
