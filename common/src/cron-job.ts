import cron from 'node-cron'
import type { Logger } from './logger.ts'

export type CronJob = {
  /** Stops the schedule and waits for a run that is still going. */
  stop(): Promise<void>
}

export type CronJobOptions = {
  /** Names the node-cron task and the job's log lines. */
  name: string
  /** node-cron expression, seconds first. */
  schedule: string
  /** One pass over due work; resolves with how many items it handled. */
  run: () => Promise<number>
  /** Logged with the count after a pass that handled something, e.g. 'orders expired'. */
  done: string
  logger: Logger
}

/**
 * Runs a job that polls a due-time table (expiries, refunds) on a cron schedule. A tick that
 * comes while the previous run still goes is skipped, so one process never runs it twice at
 * once; a failed run is logged and the next tick tries again.
 */
export function startCronJob(options: CronJobOptions): CronJob {
  const { logger, name } = options
  let running: Promise<void> | undefined

  function tick() {
    if (running) {
      logger.debug('job still running; tick skipped', { job: name })
      return
    }
    running = options
      .run()
      .then((count) => {
        if (count > 0) logger.info(options.done, { count })
      })
      .catch((err) =>
        logger.error('job failed; will retry on the next tick', { job: name, error: err }),
      )
      .finally(() => {
        running = undefined
      })
  }

  const task = cron.schedule(options.schedule, tick, {
    name,
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
