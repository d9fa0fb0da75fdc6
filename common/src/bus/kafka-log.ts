import kafkajs, { type logCreator } from 'kafkajs'
import type { Logger, LogLevel } from '../logger.ts'

const { logLevel } = kafkajs

const levels: Record<LogLevel, number> = {
  debug: logLevel.DEBUG,
  info: logLevel.INFO,
  warn: logLevel.WARN,
  error: logLevel.ERROR,
}

/** The kafkajs level that lets through `level` and above. */
export const kafkaLogLevel = (level: LogLevel) => levels[level]

// Lines kafkajs writes at WARN during ordinary operation (every deploy rebalances the group).
const routine = [/^The group is rebalancing/, /^Consumer is not aware of all assigned partitions/]

/**
 * Sends kafkajs's own lines to our logger. kafkajs logs at ERROR every error response and
 * connection failure, including the many it retries by itself (a broker restart produces dozens),
 * so its ERROR becomes our warn: the adapter itself logs at error what really failed (a consumer
 * that crashed, a dead letter) and a publish that failed rejects.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _logger, stack: _stack, ...extra } = log
      const fields = { kafkajs: namespace, ...extra }
      const msg = `kafkajs: ${message}`
      if (level <= logLevel.WARN && !routine.some((r) => r.test(message))) logger.warn(msg, fields)
      else if (level <= logLevel.INFO) logger.info(msg, fields)
      else logger.debug(msg, fields)
    }
}
