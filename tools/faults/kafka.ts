import { cpSync, existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { runOk } from '../lib/processes.ts'

export type Kafka = {
  /** The PLAINTEXT listener (a super user): the suite's own clients. */
  brokers: string[]
  /** The SASL listener and each service's SCRAM user (kafka-start.sh), for the stack. */
  credentialsFile: string
  /** Restarts the broker, keeping its data: a clean stop, or a crash (SIGKILL) with `kill`. */
  restart(options: { kill: boolean }): Promise<void>
  stop(): Promise<void>
}

function kafkaScript(options: { root: string; home: string; port?: number }) {
  const env = {
    KAFKA_PORT: String(options.port ?? 9092),
    KAFKA_HOME_DIR: options.home,
    KAFKA_HEAP_OPTS: '-Xms256m -Xmx768m',
    KAFKA_STOP_TIMEOUT: '30',
  }
  return (name: string, args: string[] = []) =>
    runOk('bash', [resolve(options.root, 'tools', name), ...args], { env, timeoutMs: 240_000 })
}

/** Stops the suite's broker in `home` if it runs (also one an interrupted run left behind). */
export async function stopKafka(options: { root: string; home: string }) {
  await kafkaScript(options)('kafka-stop.sh')
}

/**
 * A Kafka broker of the fault suite's own, through the repository's tools (KAFKA_PORT,
 * KAFKA_HOME_DIR): wiped and started fresh, so its dead-letter topics hold this run's letters only.
 * The jars are copied from the developer broker's `.kafka/lib` when there, else fetched by
 * kafka-start.sh.
 */
export async function startKafka(options: {
  root: string
  home: string
  port: number
}): Promise<Kafka> {
  const script = kafkaScript(options)
  const shared = resolve(options.root, '.kafka/lib')
  const lib = resolve(options.home, 'lib')
  if (!existsSync(resolve(lib, '.complete')) && existsSync(resolve(shared, '.complete'))) {
    cpSync(shared, lib, { recursive: true })
  }
  await script('kafka-stop.sh', ['--wipe'])
  await script('kafka-start.sh')
  return {
    brokers: [`127.0.0.1:${options.port}`],
    credentialsFile: resolve(options.home, 'credentials.json'),
    async restart({ kill }) {
      await script('kafka-restart.sh', kill ? ['--kill'] : [])
    },
    async stop() {
      await script('kafka-stop.sh')
    },
  }
}
