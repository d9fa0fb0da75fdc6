import process from 'node:process'
import type * as v from 'valibot'
import { createInProcessBus } from './bus/in-process.ts'
import { kafkaSasl } from './bus/kafka-sasl.ts'
import type { EventBus } from './bus/port.ts'
import { systemClock } from './clock.ts'
import { type baseConfigEntries, ConfigError, readConfig } from './config.ts'
import { createDatabase, type Database } from './db/database.ts'
import { serveHttp } from './http/serve.ts'
import { createLogger, type Logger } from './logger.ts'
import type { Service, ServiceInfra } from './service.ts'

type BaseConfig = v.InferOutput<v.ObjectSchema<ReturnType<typeof baseConfigEntries>, undefined>>

export type MainOptions<S extends v.GenericSchema> = {
  name: string
  schema: S
  env: Record<string, string | undefined>
  create: (infra: ServiceInfra<v.InferOutput<S>>) => Promise<Service>
  /**
   * false for a service that keeps no state (the storefront): no database, no broker. It gets a
   * database that answers /ready but throws when used, and an in-process bus. Default true.
   */
  infrastructure?: boolean
}

/** The database of a service that has none: ping and close do nothing, any use of it throws. */
function noDatabase(name: string): Database {
  const unused = (): never => {
    throw new Error(`${name} runs without a database (runService's infrastructure: false)`)
  }
  return {
    get db() {
      return unused()
    },
    get kind() {
      return unused()
    },
    ping: async () => {},
    listen: async () => unused(),
    close: async () => {},
  }
}

async function openBus(name: string, config: BaseConfig, logger: Logger): Promise<EventBus> {
  if (!config.KAFKA_BROKERS) {
    logger.warn('KAFKA_BROKERS is not set: events stay inside this process')
    return createInProcessBus({ logger })
  }
  const { createKafkaBus } = await import('./bus/kafka.ts')
  return createKafkaBus({
    brokers: config.KAFKA_BROKERS.split(','),
    sasl: kafkaSasl(config),
    clientId: name,
    partitions: config.KAFKA_PARTITIONS,
    logger,
  })
}

/**
 * Runs one service as its own process: config from the environment (a bad value stops it with
 * one line), its database and bus, its HTTP server; SIGTERM/SIGINT drain and exit.
 */
export async function runService<S extends v.GenericSchema>(
  options: MainOptions<S>,
): Promise<void> {
  let config: v.InferOutput<S> & BaseConfig
  try {
    config = readConfig(options.schema, options.env) as v.InferOutput<S> & BaseConfig
    // Half a SASL setting stops the service here, not at its first connection.
    kafkaSasl(config)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`${options.name}: ${err.message}`)
    process.exit(1)
  }
  const logger = createLogger({ level: config.LOG_LEVEL, fields: { service: options.name } })
  const infrastructure = options.infrastructure ?? true
  if (!infrastructure && (config.DATABASE_URL || config.KAFKA_BROKERS)) {
    logger.warn('DATABASE_URL and KAFKA_BROKERS are ignored: this service keeps no state')
  }
  const database = infrastructure
    ? await createDatabase({
        url: config.DATABASE_URL,
        dataDir: config.PGLITE_DIR,
        poolSize: config.DATABASE_POOL_SIZE,
        logger,
      })
    : noDatabase(options.name)
  const bus = infrastructure
    ? await openBus(options.name, config, logger)
    : createInProcessBus({ logger })
  let service: Service
  try {
    service = await options.create({ config, database, bus, logger, clock: systemClock })
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`${options.name}: ${err.message}`)
    process.exit(1)
  }
  await service.start()
  const server = await serveHttp(service.app.fetch, { port: config.PORT, hostname: config.HOST })
  logger.info('listening', { port: server.port, summary: service.summary })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info('stopping', { signal })
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting')
      process.exit(1)
    }, config.SHUTDOWN_TIMEOUT_MS)
    await server.close()
    await service.stop()
    await bus.close()
    await database.close()
    clearTimeout(deadline)
    logger.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}
