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

// What kafkajs reports above INFO in ordinary operation, each handled where it happens: an error
// response reaches the caller, which retries it or fails (a rebalance answers heartbeats with
// one; a new topic answers ListOffsets with NOT_LEADER for a moment); every deploy rebalances the
// group; the producer's retries are bounded on purpose (see kafka-producer.ts).
const routine = [
  /^Response \w+\(key: \d+, version: \d+\)$/,
  /^The group is rebalancing/,
  /^Consumer is not aware of all assigned partitions/,
  /^Limiting retries for the idempotent producer/,
]

/**
 * Sends kafkajs's own lines to our logger. kafkajs logs at ERROR every connection failure,
 * including the many it retries by itself (a broker restart produces dozens), so its ERROR
 * becomes our warn: the adapter logs at error what really failed (a consumer that had to be
 * replaced, a dead letter), and a publish that failed rejects.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _logger, stack: _stack, ...extra } = log
      const fields = { kafkajs: namespace, ...extra }
      const msg = `kafkajs: ${message}`
      if (routine.some((r) => r.test(message))) logger.debug(msg, fields)
      else if (level <= logLevel.WARN) logger.warn(msg, fields)
      else if (level <= logLevel.INFO) logger.info(msg, fields)
      else logger.debug(msg, fields)
    }
}
