import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
import { ConfigError, envBool, envInt, readConfig } from '@twtix/common'
import kafkajs from 'kafkajs'
import postgres from 'postgres'
import * as v from 'valibot'
import { services } from '../../embedded/services.ts'
import { developmentKeyEncryptionKey } from '../../services/auth/src/dev-key.ts'
import { setupKafka } from '../kafka/acls.ts'
import {
  ingressVars,
  renderTemplate,
  replicaPort,
  type ServiceName,
  stateful,
} from '../topology.ts'
import { type Supervised, supervise } from './supervise.ts'

const StackConfigSchema = v.object({
  PG_URL: v.optional(v.string(), 'postgres://postgres@127.0.0.1:5432/postgres'),
  /** The broker's unauthenticated admin listener (PLAINTEXT, a super user on this machine). */
  KAFKA_BROKERS: v.optional(v.string(), '127.0.0.1:9092'),
  /**
   * What tools/kafka-start.sh wrote: its SASL listener and each service's SCRAM password. When it
   * describes the broker at KAFKA_BROKERS, each service signs in there as itself; otherwise the
   * services use KAFKA_BROKERS unauthenticated (another broker), and the stack says so.
   */
  KAFKA_CREDENTIALS_FILE: v.optional(v.string(), '.kafka/credentials.json'),
  TOPIC_PREFIX: v.optional(v.pipe(v.string(), v.regex(/^[\w.-]*$/)), ''),
  KAFKA_PARTITIONS: envInt(3, 1, 1000),
  INGRESS_PORT: envInt(8080, 1, 65_535),
  STACK_REPLICAS: envInt(1, 1, 8),
  STACK_DIR: v.optional(v.string(), '.stack'),
  /** Added to every service's port, so a second stack (e.g. the fault suite's) can run beside. */
  STACK_PORT_OFFSET: envInt(0, 0, 60_000),
  NGINX_BIN: v.optional(v.string(), 'nginx'),
  /** Drop the twtix_<service> databases first (also `npm run stack -- --fresh`). */
  STACK_FRESH: envBool(false),
  /** The databases' names are <prefix><service>, so a second stack can share one server. */
  STACK_DB_PREFIX: v.optional(v.pipe(v.string(), v.regex(/^[a-z_][a-z0-9_]*$/)), 'twtix_'),
  /**
   * nginx's request rates per client address (`10r/s`) for auth and for orders and payments; the
   * benchmark and the fault suite, all from 127.0.0.1, raise them.
   */
  INGRESS_AUTH_RATE: v.optional(v.pipe(v.string(), v.regex(/^\d+r\/[sm]$/)), '10r/s'),
  INGRESS_WRITE_RATE: v.optional(v.pipe(v.string(), v.regex(/^\d+r\/[sm]$/)), '20r/s'),
  /** Extra node flags for every service process, e.g. `--cpu-prof --cpu-prof-dir=.prof`. */
  STACK_NODE_OPTIONS: v.optional(v.string(), ''),
})

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..')

function databaseUrl(pgUrl: string, prefix: string, service: string) {
  const url = new URL(pgUrl)
  url.pathname = `/${prefix}${service}`
  return url.toString()
}

/** A twtix_<service> database per stateful service; a stateless one gets none. */
async function createDatabases(pgUrl: string, prefix: string, fresh: boolean) {
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} })
  try {
    for (const s of stateful) {
      const name = `${prefix}${s.name}`
      if (fresh) await admin.unsafe(`drop database if exists "${name}" with (force)`)
      const [exists] = await admin`select 1 from pg_database where datname = ${name}`
      if (!exists) await admin.unsafe(`create database "${name}"`)
    }
  } finally {
    await admin.end()
  }
}

type KafkaCredentials = {
  plaintext: string
  brokers: string
  mechanism: string
  users: Record<string, string>
}

/**
 * Each stateful service's Kafka variables: its own SCRAM user on the SASL listener, after the
 * topics and ACLs of this TOPIC_PREFIX are made (as the admin, on the PLAINTEXT listener).
 */
async function kafkaVariables(
  config: v.InferOutput<typeof StackConfigSchema>,
): Promise<{ describe: string; of: (service: string) => Record<string, string> }> {
  const file = resolve(root, config.KAFKA_CREDENTIALS_FILE)
  const credentials: KafkaCredentials | undefined = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : undefined
  if (credentials?.plaintext !== config.KAFKA_BROKERS) {
    console.log(
      `stack: no SASL credentials for ${config.KAFKA_BROKERS} in ${file}: the services connect there without authentication`,
    )
    return {
      describe: `${config.KAFKA_BROKERS} (no SASL)`,
      of: () => ({ KAFKA_BROKERS: config.KAFKA_BROKERS }),
    }
  }
  const admin = new kafkajs.Kafka({
    clientId: 'twtix-stack',
    brokers: config.KAFKA_BROKERS.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
  }).admin()
  await admin.connect()
  try {
    await setupKafka({ admin, prefix: config.TOPIC_PREFIX, partitions: config.KAFKA_PARTITIONS })
  } finally {
    await admin.disconnect()
  }
  return {
    describe: `${credentials.brokers} (SASL/SCRAM, a user per service)`,
    of: (service) => {
      const password = credentials.users[service]
      if (!password) throw new Error(`${file} has no SCRAM user ${service}`)
      return {
        KAFKA_BROKERS: credentials.brokers,
        KAFKA_SASL_MECHANISM: credentials.mechanism,
        KAFKA_SASL_USERNAME: service,
        KAFKA_SASL_PASSWORD: password,
      }
    },
  }
}

async function main() {
  let config: v.InferOutput<typeof StackConfigSchema>
  try {
    config = readConfig(StackConfigSchema, process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`stack: ${err.message}`)
      process.exit(1)
    }
    throw err
  }
  const nginx = spawnSync(config.NGINX_BIN, ['-v'], { stdio: 'ignore' })
  if (nginx.error) {
    console.error(
      `stack: nginx not found (NGINX_BIN=${config.NGINX_BIN}): install it (Debian: apt-get install nginx-light) or set NGINX_BIN`,
    )
    process.exit(1)
  }
  const dir = resolve(root, config.STACK_DIR)
  mkdirSync(resolve(dir, 'logs'), { recursive: true })
  mkdirSync(resolve(dir, 'nginx/temp'), { recursive: true })
  await createDatabases(
    config.PG_URL,
    config.STACK_DB_PREFIX,
    config.STACK_FRESH || process.argv.includes('--fresh'),
  )

  const port = (base: number, n: number) => replicaPort(base, n) + config.STACK_PORT_OFFSET
  const ingress = `http://127.0.0.1:${config.INGRESS_PORT}`
  const jwksUrl = `${ingress}/api/users/.well-known/jwks.json`
  /** What a stateless service must not inherit from this shell: it opens no database and no bus. */
  const INFRASTRUCTURE = [
    'DATABASE_URL',
    'KAFKA_BROKERS',
    'KAFKA_SASL_MECHANISM',
    'KAFKA_SASL_USERNAME',
    'KAFKA_SASL_PASSWORD',
    'AUTH_JWKS_URL',
  ]
  const kafka = await kafkaVariables(config)
  // A development stack without a Stripe key takes test cards, and says so below; payments itself
  // refuses to start without either.
  const offline: Record<string, string> =
    process.env.STRIPE_SECRET_KEY || process.env.PAYMENTS_OFFLINE
      ? {}
      : { PAYMENTS_OFFLINE: 'true' }
  if (offline.PAYMENTS_OFFLINE) {
    console.log('stack: no STRIPE_SECRET_KEY: payments runs offline (PAYMENTS_OFFLINE=true)')
  }
  // Nor a key to seal auth's signing keys: a development one kept in the stack's directory.
  const sealing: Record<string, string> = {}
  if (!process.env.AUTH_KEY_ENCRYPTION_KEY) {
    const dev = developmentKeyEncryptionKey(resolve(dir, 'auth-key-encryption-key'))
    sealing.AUTH_KEY_ENCRYPTION_KEY = dev.key
    console.log(`stack: ${dev.line}`)
  }
  const nodeFlags = config.STACK_NODE_OPTIONS.split(/\s+/).filter(Boolean)
  const procs: Supervised[] = []
  for (const s of services) {
    for (let n = 0; n < config.STACK_REPLICAS; n++) {
      const label = `${s.name}-${n}`
      const env = s.stateless
        ? {
            ...Object.fromEntries(
              Object.entries(process.env).filter(([k]) => !INFRASTRUCTURE.includes(k)),
            ),
            PORT: String(port(s.port, n)),
            HOST: '127.0.0.1',
            // The public API through the ingress, called as the browser's user.
            API_URL: ingress,
            // nginx, on this machine, names the browser in X-Forwarded-For.
            TRUSTED_PROXIES: 'loopback',
          }
        : {
            ...process.env,
            PORT: String(port(s.port, n)),
            HOST: '127.0.0.1',
            DATABASE_URL: databaseUrl(config.PG_URL, config.STACK_DB_PREFIX, s.name),
            ...kafka.of(s.name),
            AUTH_JWKS_URL: jwksUrl,
            TRUSTED_PROXIES: 'loopback',
            ...offline,
            ...(s.name === 'auth' ? sealing : {}),
          }
      const log = resolve(dir, 'logs', `${label}.log`)
      procs.push({
        label,
        pidFile: resolve(dir, `${label}.pid`),
        start: () =>
          spawn(
            process.execPath,
            [...nodeFlags, '--import', 'tsx', `services/${s.name}/src/main.ts`],
            {
              cwd: root,
              env,
              stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')],
            },
          ),
      })
    }
  }

  const servers = (name: ServiceName) => {
    const s = services.find((t) => t.name === name)
    return Array.from(
      { length: config.STACK_REPLICAS },
      (_, n) => `127.0.0.1:${port(s?.port ?? 0, n)}`,
    )
  }
  const template = readFileSync(resolve(root, 'deploy/nginx/twtix.conf.template'), 'utf8')
  const site = renderTemplate(
    template,
    ingressVars(`127.0.0.1:${config.INGRESS_PORT}`, servers, {
      auth: config.INGRESS_AUTH_RATE,
      writes: config.INGRESS_WRITE_RATE,
    }),
  )
  const nginxDir = resolve(dir, 'nginx')
  writeFileSync(resolve(nginxDir, 'twtix.conf'), site)
  writeFileSync(
    resolve(nginxDir, 'nginx.conf'),
    [
      'worker_processes 1;',
      'daemon off;',
      `pid ${nginxDir}/nginx.pid;`,
      'error_log stderr warn;',
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${nginxDir}/temp/body;`,
      `  proxy_temp_path ${nginxDir}/temp/proxy;`,
      `  fastcgi_temp_path ${nginxDir}/temp/fastcgi;`,
      `  uwsgi_temp_path ${nginxDir}/temp/uwsgi;`,
      `  scgi_temp_path ${nginxDir}/temp/scgi;`,
      `  include ${nginxDir}/twtix.conf;`,
      '}',
      '',
    ].join('\n'),
  )
  const nginxLog = resolve(dir, 'logs', 'nginx.log')
  procs.push({
    label: 'nginx',
    pidFile: resolve(dir, 'nginx-0.pid'),
    group: true,
    start: () =>
      spawn(config.NGINX_BIN, ['-p', nginxDir, '-c', resolve(nginxDir, 'nginx.conf')], {
        detached: true,
        stdio: ['ignore', openSync(nginxLog, 'a'), openSync(nginxLog, 'a')],
      }),
  })

  const supervisor = supervise(procs)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`stack: ${signal}, stopping every process`)
    await supervisor.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))

  // Ready when every process answers /ready and the ingress routes.
  const deadline = Date.now() + 120_000
  const targets = [
    ...services.flatMap((s) => servers(s.name).map((a) => `http://${a}/ready`)),
    `http://127.0.0.1:${config.INGRESS_PORT}/health`,
  ]
  for (const url of targets) {
    for (;;) {
      const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) break
      if (Date.now() > deadline) {
        console.error(`stack: ${url} not ready after 120 s; see ${dir}/logs`)
        return stop('timeout').then(() => process.exit(1))
      }
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  console.log(
    `twtix stack on http://localhost:${config.INGRESS_PORT}: ${services.length} services × ${config.STACK_REPLICAS} behind nginx, PostgreSQL ${new URL(config.PG_URL).host} (${config.STACK_DB_PREFIX}<service> for ${stateful.length} of them), Kafka ${kafka.describe}; logs in ${dir}/logs`,
  )
}

await main()
